import { randomUUID } from 'node:crypto';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { acceptedRequestId, REQUEST_ID_HEADER } from '../request-id';

/** A request once requestIdMiddleware has named it. */
export type IdentifiedRequest = Request & { requestId?: string };

/**
 * Names every request (acceptedRequestId, or a fresh UUID) before anything else runs, and
 * echoes the id in `X-Request-Id`, errors included.
 */
export function requestIdMiddleware(
  request: IdentifiedRequest,
  response: Response,
  next: NextFunction,
): void {
  const id = acceptedRequestId(request.headers['x-request-id']) ?? randomUUID();
  request.requestId = id;
  response.setHeader(REQUEST_ID_HEADER, id);
  next();
}

/** The request's id (for the audit log): `@RequestId() requestId: string`. */
export const RequestId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const id = context.switchToHttp().getRequest<IdentifiedRequest>().requestId;
  if (id === undefined) throw new Error('@RequestId() without requestIdMiddleware: use configureHttpApp');
  return id;
});
