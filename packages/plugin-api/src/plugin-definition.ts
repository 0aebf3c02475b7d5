import type { Context } from './context';
import type { HookEventMap } from './events';
import type { HookResult } from './hook-result';
import type { HookType } from './runtime';

/** A hook handler: receives the sandboxed ctx and the hook's event; may be async. */
export type HookHandler<K extends HookType = HookType> = (ctx: Context, event: HookEventMap[K]) => HookResult | Promise<HookResult>;

/**
 * What a command may return: a string is printed; a HookResult with `success: false` fails the
 * command with its message; nothing prints nothing.
 */
export type CommandOutput = string | HookResult | void;

export type CommandHandler = (ctx: Context, args: string[]) => CommandOutput | Promise<CommandOutput>;

export type HookHandlers = { [K in HookType]?: HookHandler<K> };

/**
 * A plugin module's default export. It must implement exactly the hooks and commands its
 * plugin.json declares.
 */
export interface PluginDefinition {
  init?: (ctx: Context) => void | Promise<void>;
  deinit?: (ctx: Context) => void | Promise<void>;
  hooks?: HookHandlers;
  commands?: Readonly<Record<string, CommandHandler>>;
}
