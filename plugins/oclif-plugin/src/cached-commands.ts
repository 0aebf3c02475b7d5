// The target module of the generated command-cache plugin (see command-cache.ts). oclif imports it
// only when a plugin command runs; each command class is built when oclif asks for it.
import type { Command } from '@oclif/core';
import { stateSnapshot } from './marathon-state';
import { commandClass } from './plugin-commands';

export const COMMANDS: Record<string, Command.Class> = {};
for (const entry of stateSnapshot().commands) {
  let built: Command.Class | undefined;
  Object.defineProperty(COMMANDS, `${entry.plugin}:${entry.command}`, {
    enumerable: true,
    get: () => (built ??= commandClass(entry)),
  });
}
