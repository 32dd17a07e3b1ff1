/**
 * What the portal's request log may say about a request. Fastify's default `req` serializer logs
 * the raw URL, which would put two kinds of secret into every log line:
 *
 * - a challenge id in the path (`/auth/challenges/<id>/send|verify`): it stands between a password
 *   and a token, so whoever reads the log could spend it;
 * - the query string: `?q=` searches are often phone digits.
 *
 * So a request is logged as its method and its path, with the challenge id replaced by `:id` and the
 * query string (and any fragment) dropped. Headers are never logged by this serializer at all.
 */

const CHALLENGE_SEGMENT = /(\/auth\/challenges\/)[^/]*/gi;

/** The URL a log line may show: no query string, no fragment, no challenge id. */
export function loggableUrl(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  return path.replace(CHALLENGE_SEGMENT, '$1:id');
}

/** Fastify's `serializers.req`: method and cleaned URL only. */
export function serializeRequest(request: { method: string; url: string }): { method: string; url: string } {
  return { method: request.method, url: loggableUrl(request.url) };
}

/** The portal logger's serializers (server/cli.ts; tests pass the same object). */
export const portalLogSerializers = { req: serializeRequest };

/** Headers that carry credentials (bearer tokens, cookies, idempotency keys), in case a log call includes them. */
export const portalLogRedact = {
  paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]'],
  censor: '[redacted]',
};
