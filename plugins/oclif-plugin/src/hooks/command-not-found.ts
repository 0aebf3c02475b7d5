// `marathon <plugin> <command> …` that oclif has no command for, when <plugin> is an installed
// Marathon plugin: it is disabled or in error (only enabled plugins' commands are listed), or it
// has no such command. oclif alone said `command hello-world:greet:Ada not found` — with the space
// topic separator it glues every word before the first flag into the id, arguments included. The
// line goes to `plugin run` instead, which says what is wrong and what to do (the manager's
// NOT_ENABLED, or the plugin's commands when it has no such one), with --json and cli_command as
// for any command. Anything else gets oclif's own error.
import { Errors, type Hook } from '@oclif/core';
import { readInstalledPlugins } from '../marathon-state';

const hook: Hook.CommandNotFound = async function (options) {
  const [plugin = '', command, ...words] = options.id.split(':');
  const record = readInstalledPlugins()?.find((installed) => installed.name === plugin);
  // An enabled plugin named alone has no commands at all: nothing for plugin run to say.
  if (record === undefined || (command === undefined && record.status === 'enabled')) throw new Errors.CLIError(`command ${options.id} not found`, { exit: 2 });
  // Not enabled: plugin run refuses before it looks at the command, so any name does.
  const name = command ?? record.manifest.commands[0]?.name ?? 'help';
  return this.config.runCommand('plugin:run', [plugin, name, ...words, ...(options.argv ?? [])]);
};

export default hook;
