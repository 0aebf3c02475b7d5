import { MarathonError } from '@marathon/plugin-api';

export type PluginTestErrorCode =
  /** A plugin command failed. */
  | 'COMMAND_FAILED'
  /** The folder fails the checks `marathon plugin install` runs: `details` lists each refusal. */
  | 'INSTALL_REFUSED';

/**
 * A plugin call that failed in a test: the message names the plugin, the call and why (each finding
 * on a line of its own). `pluginStack`: where in the plugin's code a command threw, one frame a line
 * ("at greet (index.js:4:18)"); the error's `stack`, which test runners print, shows those frames
 * first and then the test's own.
 */
export class PluginTestError extends MarathonError<PluginTestErrorCode> {
  override readonly name = 'PluginTestError';

  constructor(
    code: PluginTestErrorCode,
    message: string,
    details: readonly string[] = [],
    readonly pluginStack?: string,
  ) {
    super(code, message, { details });
    if (pluginStack !== undefined && this.stack !== undefined) {
      const header = `${this.name}: ${this.message}`;
      const frames = pluginStack
        .split('\n')
        .map((frame) => `    ${frame}`)
        .join('\n');
      if (this.stack.startsWith(header)) this.stack = `${header}\n${frames}${this.stack.slice(header.length)}`;
    }
  }
}
