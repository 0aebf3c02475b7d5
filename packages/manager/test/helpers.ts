import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagerError, PluginManager, type PluginManagerOptions } from '@marathon/manager';

export interface SandboxPaths {
  readonly root: string;
  readonly home: string;
  /** A search path the test's plugins are written into. */
  readonly plugins: string;
}

export interface Sandbox extends SandboxPaths {
  cleanup(): void;
}

export function tempRoot(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'marathon-manager-'));
  const sandbox = {
    root,
    home: join(root, 'home'),
    plugins: join(root, 'plugins'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  mkdirSync(sandbox.plugins, { recursive: true });
  return sandbox;
}

export interface PluginSpec {
  name: string;
  version?: string;
  api_version?: string;
  permissions?: string[];
  hooks?: Array<string | { name: string; priority: number }>;
  commands?: string[];
  dependencies?: Record<string, string>;
  extra?: Record<string, unknown>;
  /** The object passed to definePlugin, as source. */
  body?: string;
  /** Extra top-level source before the export. */
  prelude?: string;
}

/** Writes a real plugin folder (plugin.json + index.js) under `parent`; returns its path. */
export function writePlugin(parent: string, spec: PluginSpec, folder = spec.name): string {
  const dir = join(parent, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'plugin.json'),
    JSON.stringify({
      name: spec.name,
      version: spec.version ?? '1.0.0',
      api_version: spec.api_version ?? '1.0.0',
      description: `${spec.name} test plugin`,
      permissions: spec.permissions ?? [],
      hooks: spec.hooks ?? [],
      commands: spec.commands ?? [],
      dependencies: spec.dependencies ?? {},
      ...spec.extra,
    }),
  );
  const hooks = (spec.hooks ?? []).map((hook) => (typeof hook === 'string' ? hook : hook.name));
  const body =
    spec.body ??
    `{
      hooks: { ${hooks.map((hook) => `${hook}: (ctx, event) => success('${spec.name}')`).join(', ')} },
      commands: { ${(spec.commands ?? []).map((command) => `'${command}': (ctx, args) => '${spec.name} ${command} ' + args.join(' ')`).join(', ')} },
    }`;
  writeFileSync(
    join(dir, 'index.js'),
    `import { definePlugin, success, failure } from '@marathon/plugin-api';\n${spec.prelude ?? ''}\nexport default definePlugin(${body});\n`,
  );
  return dir;
}

export function open(sandbox: SandboxPaths, options: PluginManagerOptions = {}): Promise<PluginManager> {
  return PluginManager.open({
    home: sandbox.home,
    builtInPlugins: [sandbox.plugins],
    cwd: sandbox.root,
    env: { PATH: process.env.PATH },
    ...options,
  });
}

/** What `useManager` gives a test file: the running test's sandbox and manager. */
export interface ManagerFixture {
  /** The running test's folders (a fresh temp root for each test, removed after it). */
  readonly sandbox: SandboxPaths;
  /** The manager open on the running test's home; closed after the test. */
  manager(): PluginManager;
  /** Closes the open manager (if any) and opens another on the same home, with `options`. */
  reopen(options?: PluginManagerOptions): Promise<PluginManager>;
  /** Closes the open manager now, for a test that looks at what closing writes. */
  close(): Promise<void>;
}

/**
 * Registers the hooks most test files share: before each test a temp root and a manager open on it
 * (none with `open: false`, until the test calls `reopen`); after it, the manager closed and the
 * root removed. Hooks a file registers before calling this run before these after each test.
 */
export function useManager(setup: { open?: boolean; options?: PluginManagerOptions } = {}): ManagerFixture {
  let current: Sandbox | undefined;
  let opened: PluginManager | undefined;
  const running = (): Sandbox => {
    if (current === undefined) throw new Error('useManager: no test is running');
    return current;
  };
  beforeEach(async () => {
    current = tempRoot();
    if (setup.open !== false) opened = await open(current, setup.options);
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    current?.cleanup();
    current = undefined;
  });
  const close = async (): Promise<void> => {
    const closing = opened;
    opened = undefined;
    await closing?.close();
  };
  return {
    sandbox: {
      get root() {
        return running().root;
      },
      get home() {
        return running().home;
      },
      get plugins() {
        return running().plugins;
      },
    },
    manager() {
      if (opened === undefined) throw new Error('useManager: no manager is open (call reopen)');
      return opened;
    },
    async reopen(options) {
      await close();
      opened = await open(running(), options);
      return opened;
    },
    close,
  };
}

export const task = (id = 't-1') => ({
  task: { id, name: 'build', command: 'make', args: [], submitted_by: 'ada', submitted_at: '2026-11-25T12:00:00Z' },
});

/** The ManagerError `run` rejects with; fails the test when it resolves or throws anything else. */
export async function managerError(run: () => Promise<unknown>): Promise<ManagerError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ManagerError) return error;
    throw error;
  }
  throw new Error('expected a ManagerError');
}
