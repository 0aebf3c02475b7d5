// What the trust gate warns about a plugin (unsigned, medium scanner findings), printed as soon as
// the gate has looked — before any consent prompt — and naming the plugin, for install and update.
import { ux } from '@oclif/core';
import { terminalText } from './terminal-text';

/** An `onWarnings` for the manager's install options; prints nothing with --json (the result carries them). */
export function gateWarningPrinter(json: boolean): (plugin: string, warnings: readonly string[]) => void {
  return (plugin, warnings) => {
    if (json) return;
    // A running spinner would draw over the lines: pause it while they are written.
    void ux.action.pause(() => {
      for (const warning of warnings) process.stderr.write(`⚠️  ${terminalText(plugin)}: ${terminalText(warning)}\n`);
    });
  };
}
