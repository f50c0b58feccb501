import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { parseIdempotencyKey, requestFingerprint } from '../idempotency';
import type { IdempotentOutcome } from './idempotency-store';

/** Says whether a write's response is the stored answer to an earlier request with its key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * The write's `Idempotency-Key` header, checked (parseIdempotencyKey): a 400 naming the header
 * when it is missing, too long or not printable ASCII.
 *
 *     async drawdown(@IdempotencyKey() key: string, @Req() request: Request, …)
 */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  parseIdempotencyKey(context.switchToHttp().getRequest<Request>().headers['idempotency-key']),
);

/** The fingerprint of a request as it arrived: its method, path and parsed JSON body. */
export const fingerprintOf = (request: Request): string =>
  requestFingerprint({ method: request.method, path: request.path, body: request.body as unknown });

/**
 * Sets the outcome's status and the Idempotent-Replayed header on the response, and returns
 * the body for the handler to return (use `@Res({ passthrough: true })`).
 */
export function respondIdempotently(response: Response, outcome: IdempotentOutcome): unknown {
  response.status(outcome.status).setHeader(IDEMPOTENT_REPLAYED_HEADER, String(outcome.replayed));
  return outcome.body;
}
