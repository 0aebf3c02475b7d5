export type EventsErrorCode =
  | 'UNKNOWN_HOOK'
  | 'INVALID_HANDLER'
  | 'INVALID_OWNER'
  | 'INVALID_PRIORITY'
  | 'INVALID_TIMEOUT'
  | 'DUPLICATE_HANDLER'
  | 'INVALID_OPTION';

/**
 * A mistake in how the bus was used, reported where it was made (at registration or
 * configuration), never later at dispatch. A TypeError with a code.
 */
export class EventsError extends TypeError {
  override readonly name = 'EventsError';
  readonly code: EventsErrorCode;

  constructor(code: EventsErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
