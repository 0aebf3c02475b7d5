export type PluginTestErrorCode =
  /** A plugin command failed. */
  | 'COMMAND_FAILED'
  /** The folder fails the checks `marathon plugin install` runs: `details` lists each refusal. */
  | 'INSTALL_REFUSED';

/** A plugin call that failed in a test: the message names the plugin, the call and why (each finding on a line of its own). */
export class PluginTestError extends Error {
  override readonly name = 'PluginTestError';

  constructor(
    readonly code: PluginTestErrorCode,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(details.length === 0 ? message : `${message}\n${details.map((line) => `  ${line}`).join('\n')}`);
  }
}
