export { MarathonCommand } from './marathon-command';
export { pluginTable, STATUS_LABELS } from './plugin-table';
export { builtInPluginFolders } from './built-in-plugins';
export { CORE_COMMANDS } from './commands';
