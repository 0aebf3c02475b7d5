import {
  API_VERSION,
  DEFAULT_LIMITS,
  HOOK_DESCRIPTIONS,
  HOOK_TYPES,
  HookType,
  PERMISSIONS,
  PERMISSION_DESCRIPTIONS,
  Permission,
  PluginApiError,
  VETO_HOOK_TYPES,
  definePlugin,
  failure,
  hasPermission,
  isHookType,
  isPermission,
  isVetoHook,
  log,
  success,
  type Context,
  type PluginDefinition,
} from '@marathon/plugin-api';

describe('vocabulary', () => {
  it('has the seven permissions and ten hooks of docs/design.md, each described', () => {
    expect(PERMISSIONS).toEqual(['task_read', 'task_write', 'user_auth', 'network', 'filesystem', 'env_vars', 'exec']);
    expect(HOOK_TYPES).toEqual([
      'pre_task_submit',
      'post_task_submit',
      'pre_task_execute',
      'post_task_execute',
      'user_auth',
      'user_authz',
      'cli_command',
      'config_validate',
      'plugin_install',
      'plugin_uninstall',
    ]);
    expect(Object.keys(PERMISSION_DESCRIPTIONS)).toEqual([...PERMISSIONS]);
    expect(Object.keys(HOOK_DESCRIPTIONS)).toEqual([...HOOK_TYPES]);
    expect(Permission.network).toBe('network');
    expect(HookType.user_authz).toBe('user_authz');
  });

  it('cannot be changed by a plugin at run time', () => {
    expect(Object.isFrozen(Permission)).toBe(true);
    expect(Object.isFrozen(PERMISSIONS)).toBe(true);
    expect(Object.isFrozen(HOOK_TYPES)).toBe(true);
    expect(Object.isFrozen(DEFAULT_LIMITS)).toBe(true);
    expect(() => (PERMISSIONS as Permission[]).push('exec')).toThrow(TypeError);
  });

  it('knows which hooks can veto', () => {
    expect([...VETO_HOOK_TYPES].sort()).toEqual([
      'cli_command',
      'config_validate',
      'pre_task_execute',
      'pre_task_submit',
      'user_auth',
      'user_authz',
    ]);
    expect(isVetoHook('pre_task_submit')).toBe(true);
    expect(isVetoHook('post_task_submit')).toBe(false);
    expect(isVetoHook('cli_command')).toBe(true);
    expect(isVetoHook('plugin_install')).toBe(false);
  });

  it('guards names without trusting the prototype chain', () => {
    expect(isPermission('exec')).toBe(true);
    expect(isPermission('toString')).toBe(false);
    expect(isPermission('__proto__')).toBe(false);
    expect(isPermission(7)).toBe(false);
    expect(isHookType('user_auth')).toBe(true);
    expect(isHookType('constructor')).toBe(false);
  });

  it('states the default limits of docs/design.md and a semver API version', () => {
    expect(DEFAULT_LIMITS).toEqual({
      max_memory: 67_108_864,
      max_cpu_time_ms: 10_000,
      max_network_connections: 10,
      max_file_descriptors: 20,
    });
    expect(API_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('result helpers', () => {
  it('success() continues the chain and carries only what was given', () => {
    expect(success()).toEqual({ success: true, continue_chain: true });
    expect(Object.keys(success())).toEqual(['success', 'continue_chain']);
    expect(success('logged', { id: 1 })).toEqual({
      success: true,
      continue_chain: true,
      message: 'logged',
      result_data: { id: 1 },
    });
  });

  it('failure() requires a reason an operator can read', () => {
    expect(failure('no budget left')).toEqual({ success: false, continue_chain: true, message: 'no budget left' });
    expect(failure('bad', [1])).toMatchObject({ result_data: [1] });
    expect(() => failure('')).toThrow(/non-empty string/);
    expect(() => failure('')).toThrow(PluginApiError);
    expect(() => failure(undefined as unknown as string)).toThrow(TypeError);
  });
});

describe('ctx helpers', () => {
  function fakeLogCtx() {
    const calls: Array<[string, string, unknown]> = [];
    const make = (level: string) => (message: string, fields?: unknown) => void calls.push([level, message, fields]);
    const ctx = { log: { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') } };
    return { ctx: ctx as Pick<Context, 'log'>, calls };
  }

  it('hasPermission reads the granted list', () => {
    const ctx = { permissions: ['task_read', 'network'] as const };
    expect(hasPermission(ctx, 'network')).toBe(true);
    expect(hasPermission(ctx, 'exec')).toBe(false);
  });

  it('log routes to the level and refuses unknown levels', () => {
    const { ctx, calls } = fakeLogCtx();
    log(ctx, 'warn', 'disk nearly full', { free_mb: 12 });
    log(ctx, 'debug', 'tick');
    expect(calls).toEqual([
      ['warn', 'disk nearly full', { free_mb: 12 }],
      ['debug', 'tick', undefined],
    ]);
    expect(() => log(ctx, 'trace' as 'debug', 'x')).toThrow(/unknown level 'trace'/);
    expect(calls).toHaveLength(2);
  });
});

describe('definePlugin', () => {
  const hello = () => 'Hello, World!';

  it('returns a frozen copy of a well-formed definition', () => {
    const init = async () => {};
    const handler = async () => success('logged');
    const plugin = definePlugin({ init, hooks: { post_task_execute: handler }, commands: { hello } });
    expect(plugin.init).toBe(init);
    expect(plugin.hooks?.post_task_execute).toBe(handler);
    expect(plugin.commands?.hello).toBe(hello);
    expect(Object.isFrozen(plugin)).toBe(true);
    expect(Object.isFrozen(plugin.hooks)).toBe(true);
    expect(Object.isFrozen(plugin.commands)).toBe(true);
  });

  it("copies the tables, so later changes to the caller's objects do not reach the plugin", () => {
    const commands: Record<string, () => string> = { hello };
    const plugin = definePlugin({ commands });
    commands.sneaky = () => 'late';
    expect(Object.keys(plugin.commands ?? {})).toEqual(['hello']);
  });

  const refusals: Array<[string, unknown, RegExp]> = [
    ['not an object', 'plugin', /pass an object/],
    ['an array', [], /pass an object/],
    ['null', null, /pass an object/],
    ['an unknown key', { hook: {} }, /unknown key 'hook'; a plugin has init, deinit, hooks, commands/],
    ['a non-function init', { init: 'yes' }, /init must be a function, got string/],
    ['a non-function deinit', { deinit: 1 }, /deinit must be a function, got number/],
    ['hooks that is not an object', { hooks: [] }, /'hooks' must be an object/],
    ['an unknown hook', { hooks: { post_task_exec: () => success() } }, /unknown hook 'post_task_exec'; hooks are pre_task_submit/],
    ['a hook that is not a function', { hooks: { user_auth: 'allow' } }, /hooks.user_auth must be a function/],
    ['commands that is not an object', { commands: 'hello' }, /'commands' must be an object/],
    ['a command name with a space', { commands: { 'say hi': hello } }, /unknown command name 'say hi'/],
    [
      'a command name of 65 characters',
      { commands: { [`c${'x'.repeat(64)}`]: hello } },
      /unknown command name 'cx+'; .+ at most 64 characters/,
    ],
    ['a command that is not a function', { commands: { hello: 'Hello' } }, /commands.hello must be a function/],
  ];
  it.each(refusals)('refuses %s with a clear TypeError', (_label, input, message) => {
    let thrown: unknown;
    try {
      definePlugin(input as PluginDefinition);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect(thrown).toBeInstanceOf(PluginApiError);
    expect(thrown).toMatchObject({ code: 'INVALID_PLUGIN_DEFINITION', name: 'PluginApiError' });
    expect((thrown as Error).message).toMatch(message);
  });
});
