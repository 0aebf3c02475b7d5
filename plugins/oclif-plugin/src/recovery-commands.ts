// The commands an operator needs to take back control from a plugin: see what is installed and what
// it did, disable, remove, replace or re-trust plugins, read help. A cli_command plugin could veto
// every command before, and one that refused these left state.json hand-editing as the only way
// out — any plugin, even one with no permission at all. So cli_command is not dispatched for them:
// no plugin can refuse them, and none is told they ran (a plugin that sees `plugin uninstall
// <itself>` coming has nothing useful to do with that knowledge).
//
// Still dispatched, so still refusable: running tasks and plugin commands (`task run`, `plugin run`,
// `<plugin> <command>`), the author tools (`plugin new|pack|sign|dev|search`), and `plugin refresh|
// export`, which recovery does not need (verify checks files; list and info show the state).

/** Command ids (oclif's, `topic:command`) that cli_command never sees. */
export const RECOVERY_COMMANDS: ReadonlySet<string> = new Set([
  // What is installed, and what it did.
  'plugin:list',
  'plugin:info',
  'plugin:events',
  'plugin:audit',
  'plugin:logs',
  'plugin:verify',
  // Which plugins run.
  'plugin:install',
  'plugin:update',
  'plugin:repair',
  'plugin:sync',
  'plugin:enable',
  'plugin:disable',
  'plugin:uninstall',
  'plugin:priority',
  // Whose signatures are trusted.
  'keys:list',
  'keys:add',
  'keys:remove',
  'keys:generate',
  // Help and the checks an operator runs while recovering.
  'help',
  'commands',
  'version',
  'config:validate',
]);

/** Whether a plugin's cli_command hook may refuse (and hear of) this command. */
export function isRecoveryCommand(commandId: string): boolean {
  return RECOVERY_COMMANDS.has(commandId);
}
