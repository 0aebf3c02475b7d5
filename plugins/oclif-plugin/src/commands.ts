// The command table oclif loads (the "explicit" strategy): the plugin topic and key commands,
// plus every enabled plugin's commands, built from the installed state at import.
import type { Command } from '@oclif/core';
import KeysAdd from './commands/keys/add';
import KeysGenerate from './commands/keys/generate';
import KeysList from './commands/keys/list';
import KeysRemove from './commands/keys/remove';
import PluginAudit from './commands/plugin/audit';
import PluginBisectCommand from './commands/plugin/bisect';
import PluginAuthority from './commands/plugin/authority';
import PluginConfig from './commands/plugin/config';
import PluginDev from './commands/plugin/dev';
import PluginDisable from './commands/plugin/disable';
import PluginEnable from './commands/plugin/enable';
import PluginEvents from './commands/plugin/events';
import PluginExport from './commands/plugin/export';
import PluginInfo from './commands/plugin/info';
import PluginInstall from './commands/plugin/install';
import PluginList from './commands/plugin/list';
import PluginLogs from './commands/plugin/logs';
import PluginNew from './commands/plugin/new';
import PluginPack from './commands/plugin/pack';
import PluginPriority from './commands/plugin/priority';
import PluginRefresh from './commands/plugin/refresh';
import PluginRepair from './commands/plugin/repair';
import PluginRun from './commands/plugin/run';
import PluginSearch from './commands/plugin/search';
import PluginSign from './commands/plugin/sign';
import PluginSync from './commands/plugin/sync';
import PluginTop from './commands/plugin/top';
import PluginUninstall from './commands/plugin/uninstall';
import PluginUpdate from './commands/plugin/update';
import PluginVerify from './commands/plugin/verify';
import Ui from './commands/ui';
import { commandCacheActive } from './command-cache';
import { pluginCommands } from './plugin-commands';

export const CORE_COMMANDS: Record<string, Command.Class> = {
  'plugin:list': PluginList,
  'plugin:install': PluginInstall,
  'plugin:enable': PluginEnable,
  'plugin:disable': PluginDisable,
  'plugin:uninstall': PluginUninstall,
  'plugin:config': PluginConfig,
  'plugin:authority': PluginAuthority,
  'plugin:info': PluginInfo,
  'plugin:refresh': PluginRefresh,
  'plugin:run': PluginRun,
  'plugin:verify': PluginVerify,
  'plugin:events': PluginEvents,
  'plugin:audit': PluginAudit,
  'plugin:logs': PluginLogs,
  'plugin:sign': PluginSign,
  'plugin:dev': PluginDev,
  'plugin:new': PluginNew,
  'plugin:pack': PluginPack,
  'plugin:priority': PluginPriority,
  'plugin:search': PluginSearch,
  'plugin:update': PluginUpdate,
  'plugin:repair': PluginRepair,
  'plugin:export': PluginExport,
  'plugin:sync': PluginSync,
  'plugin:bisect': PluginBisectCommand,
  'plugin:top': PluginTop,
  'keys:add': KeysAdd,
  'keys:list': KeysList,
  'keys:remove': KeysRemove,
  'keys:generate': KeysGenerate,
  ui: Ui,
};

// With the command cache (the marathon binary), plugin commands come from the generated plugin;
// in any other oclif CLI they are built here, at every start.
export const COMMANDS: Record<string, Command.Class> = commandCacheActive()
  ? CORE_COMMANDS
  : { ...CORE_COMMANDS, ...pluginCommands(new Set(Object.keys(CORE_COMMANDS))) };
