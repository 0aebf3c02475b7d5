export type PluginTestErrorCode = 'COMMAND_FAILED';

/** A plugin call that failed in a test: the message names the plugin, the call and why. */
export class PluginTestError extends Error {
  override readonly name = 'PluginTestError';

  constructor(
    readonly code: PluginTestErrorCode,
    message: string,
  ) {
    super(message);
  }
}
