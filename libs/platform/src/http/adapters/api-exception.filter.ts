import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { respondWithError } from './error-responder';

/**
 * Every error of every route, Nest's own 404 included, in the contract's format (see
 * respondWithError). Registered globally by configureHttpApp.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    respondWithError(http.getRequest<Request>(), http.getResponse<Response>(), exception);
  }
}
