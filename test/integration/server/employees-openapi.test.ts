import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenAPIV3 } from 'openapi-types';
import { startTestPortal, type TestPortal } from '../../support/portal';
import { call } from '../../support/employees';

// GET /api/v1/openapi.json: generated from the zod schemas the routes validate with.
// SQLite only: the document is made from the schemas and routes, the same whatever the database.
let portal: TestPortal;
let document: OpenAPIV3.Document;

beforeAll(async () => {
  portal = await startTestPortal();
  const response = await call(portal, 'https', 'GET', '/api/v1/openapi.json');
  expect(response.status).toBe(200);
  document = response.body as OpenAPIV3.Document;
});
afterAll(async () => {
  await portal?.close();
});

/** DESIGN.md's API table (dev/sms is demo-only and hidden from the document on purpose). */
const DESIGN_ROUTES = [
  ['post', '/api/v1/auth/login'],
  ['post', '/api/v1/auth/challenges/{id}/send'],
  ['post', '/api/v1/auth/challenges/{id}/verify'],
  ['post', '/api/v1/auth/refresh'],
  ['post', '/api/v1/auth/logout'],
  ['get', '/api/v1/me'],
  ['get', '/api/v1/employees'],
  ['get', '/api/v1/employees/{id}'],
  ['patch', '/api/v1/employees/{id}'],
  ['post', '/api/v1/employees/batch'],
  ['get', '/api/v1/audit'],
  ['get', '/api/v1/health'],
] as const;

const toFastifyPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

describe('OpenAPI document', () => {
  it('is OpenAPI 3 and is served without a token', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toBe('Portal API');
  });

  it.each(DESIGN_ROUTES)('lists %s %s', (method, path) => {
    expect(portal.app.hasRoute({ method: method.toUpperCase() as 'GET', url: toFastifyPath(path) }), 'route is registered').toBe(true);
    expect(document.paths[path]?.[method], `${method} ${path} in the document`).toBeDefined();
  });

  it('lists no route that does not exist, and every registered route of the table', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item ?? {}).filter((key) => ['get', 'post', 'patch', 'put', 'delete'].includes(key)).map((method) => [method, path]),
    );
    for (const [method, path] of documented) {
      expect(portal.app.hasRoute({ method: method!.toUpperCase() as 'GET', url: toFastifyPath(path!) }), `${method} ${path}`).toBe(true);
    }
    expect(documented.length).toBeGreaterThanOrEqual(DESIGN_ROUTES.length);
  });

  it('carries the schemas the routes validate with', () => {
    const patch = document.paths['/api/v1/employees/{id}']!.patch!;
    const body = (patch.requestBody as OpenAPIV3.RequestBodyObject).content['application/json']!.schema as OpenAPIV3.SchemaObject;
    expect(body.required).toEqual(['cellPhone']);
    expect(body.additionalProperties).toBe(false);
    const headers = (patch.parameters as OpenAPIV3.ParameterObject[]).filter((parameter) => parameter.in === 'header').map((parameter) => parameter.name);
    expect(headers).toEqual(expect.arrayContaining(['if-match', 'idempotency-key']));
    expect(Object.keys(patch.responses)).toEqual(expect.arrayContaining(['200', '403', '404', '409', '412', '422', '428']));

    const list = document.paths['/api/v1/employees']!.get!;
    const sort = (list.parameters as OpenAPIV3.ParameterObject[]).find((parameter) => parameter.name === 'sort')!;
    expect((sort.schema as OpenAPIV3.SchemaObject).enum).toEqual(['name', 'email', 'role', 'twoFactor', 'updatedAt']);
    const limit = (list.parameters as OpenAPIV3.ParameterObject[]).find((parameter) => parameter.name === 'limit')!;
    expect((limit.schema as OpenAPIV3.SchemaObject).maximum).toBe(1000);
    expect(list.security).toEqual([{ bearer: [] }]);
  });
});
