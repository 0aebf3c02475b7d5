import { MarathonError } from '@marathon/plugin-api';

export type EventsErrorCode =
  'UNKNOWN_HOOK' | 'INVALID_HANDLER' | 'INVALID_OWNER' | 'INVALID_PRIORITY' | 'INVALID_TIMEOUT' | 'DUPLICATE_HANDLER' | 'INVALID_OPTION';

/**
 * A mistake in how the bus was used, reported where it was made (at registration or
 * configuration), never later at dispatch. A TypeError with a code — still a MarathonError (by its
 * brand): it stays a TypeError because it is documented as one, so it cannot extend the class.
 */
export class EventsError extends TypeError {
  override readonly name = 'EventsError';
  readonly code: EventsErrorCode;
  readonly details: readonly string[] = [];

  constructor(code: EventsErrorCode, message: string) {
    super(message);
    this.code = code;
    MarathonError.brand(this);
  }
}
