// Compile-time tests, checked by the typecheck target (tsc): every `@ts-expect-error` below must
// really be an error, or tsc fails with "Unused '@ts-expect-error' directive".
import { expectTypeOf } from 'expect-type';
import {
  definePlugin,
  failure,
  success,
  type CommandHandler,
  type Context,
  type HookEventMap,
  type HookHandler,
  type HookResult,
  type HookType,
  type Permission,
  type PluginConfig,
  type PluginDefinition,
  type TaskEvent,
  type UserAuthEvent,
} from '@marathon/plugin-api';

// Every hook has an event type, and nothing else does.
expectTypeOf<keyof HookEventMap>().toEqualTypeOf<HookType>();
expectTypeOf<Permission>().toEqualTypeOf<'task_read' | 'task_write' | 'user_auth' | 'network' | 'filesystem' | 'env_vars' | 'exec'>();

// The hello-world plugin, as docs/design.md ("A plugin's code") writes it, compiles; handler parameters are inferred.
definePlugin({
  async init(ctx) {
    expectTypeOf(ctx).toEqualTypeOf<Context>();
  },
  async deinit() {},
  hooks: {
    post_task_execute: async (ctx, event) => {
      expectTypeOf(event).toEqualTypeOf<TaskEvent>();
      expectTypeOf(event.task.submitted_at).toBeString();
      ctx.log.info('task finished', { id: event.task.id, exit_code: event.result?.exit_code ?? null });
      return success('logged');
    },
    user_auth: (_ctx, event) => {
      expectTypeOf(event).toEqualTypeOf<UserAuthEvent>();
      return event.username === 'root' ? failure('root may not sign in') : success();
    },
  },
  commands: {
    hello: () => 'Hello, World!',
    greet: (_ctx, args) => `Hello, ${args[0]}! Greetings from the hello-world plugin.`,
    check: async () => failure('not ready'),
    quiet: () => {},
  },
});

// ctx capabilities are typed; results of host calls are promises.
declare const ctx: Context;
expectTypeOf(ctx.fs.read('notes.txt')).toEqualTypeOf<Promise<string>>();
expectTypeOf(ctx.env.get('HOME')).toEqualTypeOf<string | undefined>();
expectTypeOf(ctx.exec('git', ['status'])).resolves.toHaveProperty('exit_code');
expectTypeOf(ctx.net.fetch('https://hooks.example.com')).resolves.toHaveProperty('status');
expectTypeOf<HookHandler<'config_validate'>>().parameter(1).toHaveProperty('config');
expectTypeOf<CommandHandler>().returns.toEqualTypeOf<string | HookResult | void | Promise<string | HookResult | void>>();

// A handler returning the wrong type does not compile.
definePlugin({
  hooks: {
    // @ts-expect-error a hook must return a HookResult, not a string
    post_task_execute: () => 'done',
  },
});

// A handler whose event parameter is of the wrong type does not compile.
definePlugin({
  hooks: {
    // @ts-expect-error user_authz events are not task events
    user_authz: (_ctx: Context, event: TaskEvent) => success(event.task.id),
  },
});

// A handler expecting a parameter the host never passes does not compile.
definePlugin({
  hooks: {
    // @ts-expect-error hooks get (ctx, event), nothing more
    pre_task_submit: (_ctx: Context, _event: TaskEvent, extra: string) => success(extra),
  },
});

// A misspelled hook name does not compile.
definePlugin({
  hooks: {
    // @ts-expect-error there is no hook 'post_task_exec'
    post_task_exec: () => success(),
  },
});

// A command returning a number does not compile.
definePlugin({
  commands: {
    // @ts-expect-error commands return a string, a HookResult or nothing
    count: () => 42,
  },
});

// A command whose args are not strings does not compile.
definePlugin({
  commands: {
    // @ts-expect-error command arguments arrive as strings
    add: (_ctx: Context, args: number[]) => String(args[0]),
  },
});

// init takes ctx only.
// @ts-expect-error init receives a Context, not a string
definePlugin({ init: (name: string) => void name });

// Unknown top-level keys do not compile.
// @ts-expect-error a plugin has init, deinit, hooks and commands
definePlugin({ hook: {} });

// A result without `success` is not a HookResult.
// @ts-expect-error success is required
const incomplete: HookResult = { message: 'x' };
void incomplete;

// Issue 19: ctx.config. Without a type parameter it is the settings' general shape, read-only.
expectTypeOf(ctx.config).toEqualTypeOf<Readonly<PluginConfig>>();
expectTypeOf(ctx.config['anything']).toEqualTypeOf<string | number | boolean | readonly string[] | undefined>();
// @ts-expect-error ctx.config is read-only
ctx.config['timeout_s'] = 5;
definePlugin({
  hooks: {
    pre_task_submit: (handlerCtx) => {
      expectTypeOf(handlerCtx).toEqualTypeOf<Context>();
      expectTypeOf(handlerCtx.config).toEqualTypeOf<Readonly<PluginConfig>>();
      return success();
    },
  },
});

// With one, every handler's ctx.config has the plugin's settings' types.
type Settings = { rules: string[]; timeout_s: number; verbose?: boolean };
const typed = definePlugin<Settings>({
  init(initCtx) {
    expectTypeOf(initCtx.config).toEqualTypeOf<Readonly<Settings>>();
  },
  hooks: {
    pre_task_submit: (hookCtx, event) => {
      expectTypeOf(hookCtx).toEqualTypeOf<Context<Settings>>();
      expectTypeOf(hookCtx.config.timeout_s).toBeNumber();
      expectTypeOf(hookCtx.config.rules).toEqualTypeOf<string[]>();
      expectTypeOf(hookCtx.config.verbose).toEqualTypeOf<boolean | undefined>();
      return hookCtx.config.rules.includes(event.task.command) ? failure('refused by a rule') : success();
    },
  },
  commands: {
    timeout: (commandCtx) => String(commandCtx.config.timeout_s),
  },
});
expectTypeOf(typed).toEqualTypeOf<PluginDefinition<Settings>>();
expectTypeOf<HookHandler<'pre_task_submit', Settings>>().parameter(0).toEqualTypeOf<Context<Settings>>();
expectTypeOf<CommandHandler<Settings>>().parameter(0).toEqualTypeOf<Context<Settings>>();

// A typed ctx still goes where a plain Context is expected (a helper written without the parameter).
declare const typedCtx: Context<Settings>;
const plain: Context = typedCtx;
void plain;

definePlugin<Settings>({
  commands: {
    // @ts-expect-error a typed setting is read-only too
    set: (commandCtx) => void (commandCtx.config.timeout_s = 1),
    // @ts-expect-error 'timeout' is not one of the declared settings
    misspelled: (commandCtx) => String(commandCtx.config.timeout),
  },
});

// @ts-expect-error settings are strings, numbers, booleans or lists of strings
definePlugin<{ nested: { deep: string } }>({});
