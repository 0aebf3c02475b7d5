// The refusals of `marathon ui`'s server, typed like the rest of Marathon's errors so that the
// JSON API and the command report them the same way: a stable code and a message a person can act on.
import { MarathonError } from '@marathon/plugin-api';

export type UiErrorCode =
  | 'UI_WRONG_HOST'
  | 'UI_NO_SESSION'
  | 'UI_TOKEN_REFUSED'
  | 'UI_CROSS_ORIGIN'
  | 'UI_CSRF_REFUSED'
  | 'UI_NOT_FOUND'
  | 'UI_METHOD_NOT_ALLOWED'
  | 'UI_BAD_REQUEST'
  | 'UI_PORT_UNAVAILABLE'
  | 'UI_INTERNAL';

export class UiError extends MarathonError<UiErrorCode> {
  /** The HTTP status the refusal is answered with. */
  readonly status: number;

  constructor(code: UiErrorCode, status: number, message: string) {
    super(code, message);
    this.name = 'UiError';
    this.status = status;
  }
}
