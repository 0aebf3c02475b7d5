// `marathon <plugin> <command> …` that oclif has no command for, when <plugin> is an installed
// Marathon plugin: it is disabled or in error (only enabled plugins' commands are listed), or it
// has no such command. oclif alone said `command hello-world:greet:Ada not found` — with the space
// topic separator it glues every word before the first flag into the id, arguments included. The
// line goes to `plugin run` instead, which says what is wrong and what to do (the manager's
// NOT_ENABLED, or the plugin's commands when it has no such one), with --json and cli_command as
// for any command. When the installed plugins cannot be read (a sync under way, a damaged
// state.json), the error says so and what to run, rather than that the command does not exist.
// Anything else gets oclif's own error.
import { Errors, type Hook } from '@oclif/core';
import { installedPluginsOrWhyNot } from '../marathon-state';
import { terminalText } from '../terminal-text';

const hook: Hook.CommandNotFound = async function (options) {
  const [plugin = '', command, ...words] = options.id.split(':');
  const installed = installedPluginsOrWhyNot();
  if (!('plugins' in installed)) {
    // The words as typed (oclif glued them with ':'), on one line.
    const typed = terminalText(options.id.split(':').join(' '));
    const why =
      'syncPending' in installed
        ? 'a plugin sync is under way or was interrupted; try again once `marathon plugin list` answers (it rolls back an interrupted sync)'
        : `the installed plugins could not be read (${terminalText(installed.unreadable)}); run \`marathon plugin list\` to see what is wrong`;
    throw new Errors.CLIError(
      `command '${typed}' not found, and Marathon cannot tell whether '${terminalText(plugin)}' is an installed plugin: ${why}`,
      { exit: 2 },
    );
  }
  const record = installed.plugins.find((entry) => entry.name === plugin);
  // An enabled plugin named alone has no commands at all: nothing for plugin run to say.
  if (record === undefined || (command === undefined && record.status === 'enabled'))
    throw new Errors.CLIError(`command ${options.id} not found`, { exit: 2 });
  // Not enabled: plugin run refuses before it looks at the command, so any name does.
  const name = command ?? record.manifest.commands[0]?.name ?? 'help';
  return this.config.runCommand('plugin:run', [plugin, name, ...words, ...(options.argv ?? [])]);
};

export default hook;
