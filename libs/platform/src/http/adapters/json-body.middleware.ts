import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ApiError, ApiErrorCode } from '../api-error';
import { isJsonMediaType, requestHasBody } from '../media-type';
import { respondWithError } from './error-responder';

/**
 * The request body: JSON only, at most `limitBytes`. Its failures are answered here, in the
 * contract's format, before any route runs: a body that is not JSON is a 400
 * MALFORMED_JSON (never a 500), one over the limit a 413 PAYLOAD_TOO_LARGE (refused from its
 * Content-Length before it is read, when it declares one), another media type a 415.
 */
export function jsonBodyMiddleware(limitBytes: number): RequestHandler {
  const parseJson = express.json({ limit: limitBytes, strict: true, type: () => true });
  return (request: Request, response: Response, next: NextFunction) => {
    if (!requestHasBody(request.headers)) return next();
    const contentType = request.headers['content-type'];
    if (!isJsonMediaType(contentType)) {
      respondWithError(
        request,
        response,
        new ApiError(
          415,
          ApiErrorCode.UNSUPPORTED_MEDIA_TYPE,
          `Content-Type: expected application/json, got ${contentType === undefined ? 'none' : JSON.stringify(contentType)}`,
        ),
      );
      return;
    }
    parseJson(request, response, (error?: unknown) => {
      if (error === undefined || error === null) return next();
      respondWithError(request, response, error);
    });
  };
}
