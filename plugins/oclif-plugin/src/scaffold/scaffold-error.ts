export type ScaffoldErrorCode = 'NAME_INVALID' | 'NAME_RESERVED' | 'FOLDER_EXISTS';

/** `marathon plugin new` could not create the project; the message says what to change. */
export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError';

  constructor(
    readonly code: ScaffoldErrorCode,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(details.length === 0 ? message : `${message}\n${details.map((line) => `  ${line}`).join('\n')}`);
  }
}
