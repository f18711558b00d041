import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError, NotFound } from '../errors';
import { errorText } from '../i18n/error-text';
import { languageOf } from '../i18n/page-language';
import { loggablePath, type Logger } from '../logger';

function wantsJson(req: Request): boolean {
  return (
    req.path.startsWith('/api/') ||
    ['/healthz', '/readyz', '/metrics'].includes(req.path) ||
    (!req.accepts('html') && Boolean(req.accepts('json')))
  );
}

/** Body-parser, CSRF and other library errors carry a status and a type; give them stable codes. */
function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as { status?: number; statusCode?: number; type?: string; code?: string; message?: string };
  const status = e.status ?? e.statusCode;
  if (e.type === 'entity.too.large') return new AppError(413, 'too_large', 'The request is too large.');
  if (e.type === 'entity.parse.failed') return new AppError(400, 'invalid_json', 'The request body is not valid JSON.');
  if (e.code === 'csrf_invalid' || e.code === 'EBADCSRFTOKEN')
    return new AppError(403, 'csrf_invalid', 'This form has expired. Please go back, reload the page and try again.');
  if (status && status >= 400 && status < 500)
    return new AppError(status, e.type ?? 'bad_request', 'The request could not be understood.');
  return new AppError(
    500,
    'internal',
    'Something went wrong on our side. Your information was not lost; please try again in a few minutes.',
  );
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new NotFound());

/** The one error handler: JSON `{errors:[…]}` for the API, an HTML page for people. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const appError = asAppError(error);
    // Never the request body, its headers or query: the path (tokens replaced) says which page failed;
    // the logger's error serializer (see createApp) keeps only the error's type, code, message and stack.
    if (appError.status >= 500) log.error({ err: error, path: loggablePath(req.originalUrl) }, 'request failed');
    if (res.headersSent) return;
    res.status(appError.status);
    if (wantsJson(req)) {
      res.json({ errors: appError.toErrors() });
      return;
    }
    // In the page's language (English on staff pages and before the language is known).
    const { title, message } = errorText(appError, languageOf(res));
    res.render('errors/error', { title, error: appError, message });
  };
}
