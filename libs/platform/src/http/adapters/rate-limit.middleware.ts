import { Logger } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { TokenVerifier } from '../../auth/adapters/token-verifier';
import { bearerTokenOf } from '../../auth/bearer-token';
import {
  RateLimitIdentity,
  rateLimitBucket,
  RateLimitSettings,
  routeClassOf,
  tooManyRequests,
} from '../rate-limit';
import { respondWithError } from './error-responder';
import type { RateLimiter } from './redis-rate-limiter';

export interface RateLimitMiddlewareOptions {
  readonly settings: RateLimitSettings;
  readonly limiter: RateLimiter;
  /** The app's own token verifier (AuthModule's TOKEN_VERIFIER): a budget is spent by a verified subject only. */
  readonly verifier: TokenVerifier;
  /** A check that takes longer is skipped (the request goes through), default 500 ms. */
  readonly timeoutMs?: number;
}

/** Warn at most this often while the limiter's Redis fails. */
const FAILURE_LOG_INTERVAL_MS = 30_000;

/**
 * Spends one request from its bucket (rateLimitBucket) before the body is read or a route runs;
 * a request over its limit gets a 429 with Retry-After in the contract's format.
 *
 * The bucket is chosen by the token's subject only once the token verifies (a claim read
 * without checking the signature could be forged to spend someone else's budget); the guard
 * verifies it again for access, which costs microseconds. When Redis cannot answer, the request
 * goes through and a warning is logged: the limits protect the API, they must not take it
 * down with Redis (a manual freeze must work while Redis is down).
 */
export function rateLimitMiddleware(options: RateLimitMiddlewareOptions): RequestHandler {
  const logger = new Logger('RateLimit');
  const timeoutMs = options.timeoutMs ?? 500;
  let lastFailureLoggedAt = 0;
  return (request: Request, response: Response, next: NextFunction) => {
    const routeClass = routeClassOf(request.method, request.path);
    if (routeClass === 'exempt') return next();
    void (async () => {
      const identity = await identify(request, options.verifier);
      const bucket = rateLimitBucket(options.settings, routeClass, identity);
      if (bucket === undefined) return next();
      let verdict;
      try {
        verdict = await withTimeout(
          options.limiter.consume(bucket.key, bucket.limit, options.settings.windowMs),
          timeoutMs,
        );
      } catch (error) {
        const now = Date.now();
        if (now - lastFailureLoggedAt >= FAILURE_LOG_INTERVAL_MS) {
          lastFailureLoggedAt = now;
          logger.warn(
            `Rate limits are not enforced: ${error instanceof Error ? error.message : String(error)} (requests pass until Redis answers)`,
          );
        }
        return next();
      }
      if (verdict.allowed) return next();
      respondWithError(
        request,
        response,
        tooManyRequests(bucket, options.settings.windowMs, verdict.retryAfterMs),
      );
    })().catch(next);
  };
}

async function identify(request: Request, verifier: TokenVerifier): Promise<RateLimitIdentity> {
  const bearer = bearerTokenOf(request.headers.authorization);
  if (bearer.ok) {
    const verified = await verifier.verify(bearer.token, Date.now());
    if (verified.ok) return { kind: 'principal', subject: verified.principal.subject };
  }
  return { kind: 'address', address: request.ip ?? request.socket.remoteAddress ?? 'unknown' };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the rate limiter did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
