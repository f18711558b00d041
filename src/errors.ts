/** An error that carries the HTTP status and a stable code; the error handler turns it into JSON or a page. */
export interface FieldError {
  field?: string;
  code: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** The `errors` array of the JSON error shape `{"errors":[...]}`. */
  toErrors(): FieldError[] {
    return this.fieldErrors.length > 0 ? this.fieldErrors : [{ code: this.code, message: this.message }];
  }
}

export class NotFound extends AppError {
  constructor(message = 'We could not find that page.') {
    super(404, 'not_found', message);
  }
}

export class Conflict extends AppError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

/** Invalid input: one or more field errors, answered with 400. */
export class Invalid extends AppError {
  constructor(fieldErrors: FieldError[], message = 'Some of the information needs correcting.') {
    super(400, 'invalid', message, fieldErrors);
  }
}
