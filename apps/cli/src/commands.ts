// The CLI's own commands (the "explicit" strategy); the plugin topic and the Marathon plugins'
// commands come from @marathon/oclif-plugin.
import type { Command } from '@oclif/core';
import ConfigValidate from './commands/config/validate';
import TaskRun from './commands/task/run';

export const COMMANDS: Record<string, Command.Class> = {
  'task:run': TaskRun,
  'config:validate': ConfigValidate,
};
