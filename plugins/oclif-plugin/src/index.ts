export { MarathonCommand } from './marathon-command';
export { pluginTable, STATUS_LABELS } from './plugin-table';
export { terminalText, terminalJson, type TerminalTextOptions } from './terminal-text';
export { debugEnabled, pluginStackLines, pluginStackOf } from './plugin-stack';
export { builtInPluginFolders } from './built-in-plugins';
export { CORE_COMMANDS } from './commands';
