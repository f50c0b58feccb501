import { randomUUID } from 'node:crypto';
import { HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError, defaultCodeForStatus } from '../api-error';
import { errorResponseOf } from '../error-response';

const logger = new Logger('ApiErrors');

/**
 * Answers `error` in the contract's format on `response`: the status, the error's own headers
 * and `{ "error": { "code", "message" } }`. A failure the API did not expect is logged with
 * its stack under a reference; the caller sees only the reference.
 */
export function respondWithError(request: Request, response: Response, error: unknown): void {
  const answer = errorResponseOf(fromFramework(error, request), () => randomUUID());
  if (answer.unexpected !== undefined)
    logger.error(
      `${request.method} ${request.originalUrl} failed unexpectedly (reference ${answer.unexpected.reference}): ${answer.unexpected.detail}`,
    );
  if (response.headersSent) {
    // Too late for an error body: cut the response so the client sees it incomplete.
    response.destroy();
    return;
  }
  response.status(answer.status).set(answer.headers).json(answer.body);
}

/**
 * Nest's own HttpExceptions (its 404 for an unknown route, a built-in pipe's 400) become
 * ApiErrors with the status's default code. A 5xx one is treated as unexpected. Routes throw
 * ApiErrors, so a Nest 404 means no route matched.
 */
function fromFramework(error: unknown, request: Request): unknown {
  if (!(error instanceof HttpException)) return error;
  const status = error.getStatus();
  if (status < 400 || status >= 500) return error;
  const message =
    status === 404
      ? `no route ${request.method} ${request.path}`
      : messageOf(error.getResponse(), error.message);
  return new ApiError(status, defaultCodeForStatus(status), message);
}

function messageOf(response: string | object, fallback: string): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && message.every((part) => typeof part === 'string')) return message.join('; ');
  return fallback;
}
