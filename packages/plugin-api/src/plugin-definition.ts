import type { Context, PluginConfig } from './context';
import type { HookEventMap } from './events';
import type { HookResult } from './hook-result';
import type { HookType } from './runtime';

/** A hook handler: receives the sandboxed ctx and the hook's event; may be async. */
export type HookHandler<K extends HookType = HookType, C extends PluginConfig = PluginConfig> = (
  ctx: Context<C>,
  event: HookEventMap[K],
) => HookResult | Promise<HookResult>;

/**
 * What a command may return: a string is printed; a HookResult with `success: false` fails the
 * command with its message; nothing prints nothing.
 */
export type CommandOutput = string | HookResult | void;

export type CommandHandler<C extends PluginConfig = PluginConfig> = (
  ctx: Context<C>,
  args: string[],
) => CommandOutput | Promise<CommandOutput>;

export type HookHandlers<C extends PluginConfig = PluginConfig> = { [K in HookType]?: HookHandler<K, C> };

/**
 * A plugin module's default export. It must implement exactly the hooks and commands its
 * plugin.json declares. `C` types `ctx.config` in every handler (see Context).
 */
export interface PluginDefinition<C extends PluginConfig = PluginConfig> {
  init?: (ctx: Context<C>) => void | Promise<void>;
  deinit?: (ctx: Context<C>) => void | Promise<void>;
  hooks?: HookHandlers<C>;
  commands?: Readonly<Record<string, CommandHandler<C>>>;
}
