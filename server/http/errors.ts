import type { FastifyReply } from 'fastify';
import type { ApiError, ApiErrorCode } from '../../common/api';

/** Sends the Portal API's error body. Every non-2xx answer goes through here or the error handler. */
export function sendError(
  reply: FastifyReply,
  status: number,
  code: ApiErrorCode,
  message: string,
  extra: Omit<ApiError, 'code' | 'message'> = {},
): FastifyReply {
  if (extra.retryAfter !== undefined) void reply.header('Retry-After', String(extra.retryAfter));
  return reply.code(status).type('application/json').send({ code, message, ...extra } satisfies ApiError);
}

/** An error a route throws to answer with a given status and code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: Omit<ApiError, 'code' | 'message'> = {},
  ) {
    super(message);
  }
}
