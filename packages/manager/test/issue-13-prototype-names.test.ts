// Issue 13, part 8: plugin and dependency names that are also Object.prototype keys (`constructor`,
// `toString`, `__proto__`, `hasOwnProperty`, `valueOf`) were looked up in plain objects, so an
// absent plugin was "found" (a false "disabled", a raw TypeError, "but undefined is installed").
// Such a name must behave exactly like any other name.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { enableOrder, parseLockfile, planSync } from '@marathon/manager';
import { StateStore, marathonHome, type InstalledPlugin } from '@marathon/registry';
import { managerError, useManager, writePlugin } from './helpers';

const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

const { sandbox, manager } = useManager();

/** state.json as plain JSON, for edits a hand (or an older version) could make. */
type StateJson = { plugins: Record<string, Omit<InstalledPlugin, 'manifest'> & { manifest: { dependencies: Record<string, string> } }> };

function editState(change: (state: StateJson) => void): void {
  const file = join(sandbox.home, 'state.json');
  const state = JSON.parse(readFileSync(file, 'utf8')) as StateJson;
  change(state);
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

describe.each(PROTOTYPE_NAMES)('with nothing called %s installed', (name) => {
  const notInstalled = { code: 'NOT_INSTALLED', message: expect.stringContaining(`plugin '${name}' is not installed`) };

  it('every command that takes a plugin name says it is not installed, and nothing changes', async () => {
    writePlugin(sandbox.plugins, { name: 'bystander' });
    await manager().install('bystander');
    const before = readFileSync(join(sandbox.home, 'state.json'), 'utf8');

    expect(await managerError(() => manager().disable(name))).toMatchObject(notInstalled);
    expect(await managerError(() => manager().disable(name, { cascade: true }))).toMatchObject(notInstalled);
    expect(await managerError(() => manager().enable(name))).toMatchObject(notInstalled);
    expect(await managerError(() => manager().uninstall(name))).toMatchObject(notInstalled);
    expect(await managerError(() => manager().info(name))).toMatchObject(notInstalled);
    expect(await managerError(() => manager().run(name, 'hello'))).toMatchObject(notInstalled);
    expect(await managerError(() => manager().reload(name))).toMatchObject(notInstalled);
    expect(await managerError(() => manager().availableUpdate(name))).toMatchObject(notInstalled);
    expect(await managerError(() => manager().update(name, sandbox.plugins))).toMatchObject(notInstalled);

    expect(readFileSync(join(sandbox.home, 'state.json'), 'utf8')).toBe(before);
    expect((await manager().list()).map((plugin) => plugin.name)).toEqual(['bystander']);
  });

  it('the state store finds no record of it, even in an empty home', async () => {
    const state = await new StateStore(marathonHome(sandbox.home)).read();
    expect(state.plugins[name]).toBeUndefined();
    expect(() => enableOrder(name, state.plugins)).toThrow(`plugin '${name}' is not installed`);
  });
});

it("installs, enables, runs, inspects, disables and uninstalls a plugin called 'constructor'", async () => {
  writePlugin(sandbox.plugins, { name: 'constructor', commands: ['hello'], hooks: ['post_task_execute'] });
  expect(await manager().install('constructor')).toMatchObject({ name: 'constructor', version: '1.0.0' });
  expect((await manager().list()).map((plugin) => [plugin.name, plugin.status])).toEqual([['constructor', 'disabled']]);
  expect(await managerError(() => manager().install('constructor'))).toMatchObject({
    code: 'ALREADY_INSTALLED',
    message: "plugin 'constructor' 1.0.0 is already installed: use marathon plugin update constructor, or uninstall it first",
  });

  expect(await manager().enable('constructor')).toEqual(['constructor']);
  expect(await manager().run('constructor', 'hello', ['x'])).toBe('constructor hello x');
  const info = await manager().info('constructor');
  expect(info.record).toMatchObject({ name: 'constructor', status: 'enabled', version: '1.0.0' });
  expect(info.timings?.load_ms).toBeGreaterThan(0);
  expect((await manager().exportLock()).plugins.constructor).toMatchObject({ version: '1.0.0', enabled: true });

  expect(await manager().disable('constructor')).toEqual(['constructor']);
  expect((await manager().list()).map((plugin) => [plugin.name, plugin.status])).toEqual([['constructor', 'disabled']]);
  await manager().uninstall('constructor');
  expect(await manager().list()).toEqual([]);
  expect(await managerError(() => manager().disable('constructor'))).toMatchObject({ code: 'NOT_INSTALLED' });
});

it("info on a 'constructor' that never loaded has no timings (not Object.prototype.constructor)", async () => {
  writePlugin(sandbox.plugins, { name: 'constructor' });
  await manager().install('constructor');
  const info = await manager().info('constructor');
  expect(info.timings).toBeUndefined();
  expect(info.metrics).toEqual([]);
});

it("a dependency on 'constructor' is missing until it is installed, then enabled first and guarded", async () => {
  writePlugin(sandbox.plugins, { name: 'needs-constructor', dependencies: { constructor: '^1.0.0' } });
  writePlugin(sandbox.plugins, { name: 'constructor' });
  expect(await managerError(() => manager().install('needs-constructor'))).toMatchObject({
    code: 'DEPENDENCY_MISSING',
    message:
      "plugin 'needs-constructor' needs 'constructor' (^1.0.0), which is not installed: install it first, or install with --with-dependencies",
  });

  expect((await manager().install('needs-constructor', { withDependencies: true })).dependencies).toEqual(['constructor']);
  expect(await manager().enable('needs-constructor')).toEqual(['constructor', 'needs-constructor']);
  expect(await managerError(() => manager().disable('constructor'))).toMatchObject({
    code: 'DEPENDENTS_ENABLED',
    message: "plugin 'constructor' is needed by enabled plugin 'needs-constructor': disable it first, or use --cascade",
  });
  expect(await managerError(() => manager().uninstall('constructor'))).toMatchObject({ code: 'DEPENDENTS_ENABLED' });
  expect(await manager().disable('constructor', { cascade: true })).toEqual(['needs-constructor', 'constructor']);
});

it("a recorded dependency named 'toString' that is missing is reported missing by name", async () => {
  // The manifest refuses capital letters in names today; a state written by hand (or by an older
  // version) may still hold such a dependency.
  writePlugin(sandbox.plugins, { name: 'needs-tostring' });
  await manager().install('needs-tostring');
  editState((state) => {
    state.plugins['needs-tostring']!.manifest.dependencies = { toString: '^1.0.0' };
  });
  expect(await managerError(() => manager().enable('needs-tostring'))).toMatchObject({
    code: 'DEPENDENCY_MISSING',
    message:
      "plugin 'needs-tostring' needs 'toString' (^1.0.0), which is not installed: install it first, or install with --with-dependencies",
  });
  editState((state) => {
    state.plugins['needs-tostring']!.manifest.dependencies = JSON.parse('{"__proto__": "^1.0.0"}') as Record<string, string>;
  });
  expect(await managerError(() => manager().enable('needs-tostring'))).toMatchObject({
    code: 'DEPENDENCY_MISSING',
    message: expect.stringContaining("needs '__proto__' (^1.0.0), which is not installed"),
  });
});

// Since issue 14 (part 10) a state record must be one Marathon could have written: '__proto__' is no
// package name, so the file is refused by name — never taken as the table's prototype.
it("a state.json holding a plugin keyed '__proto__' is refused, naming it, and pollutes nothing", async () => {
  writePlugin(sandbox.plugins, { name: 'plain' });
  await manager().install('plain');
  editState((state) => {
    const record = state.plugins.plain!;
    delete state.plugins.plain;
    Object.defineProperty(state.plugins, '__proto__', {
      value: { ...record, name: '__proto__' },
      enumerable: true,
      configurable: true,
      writable: true,
    });
  });
  await expect(new StateStore(marathonHome(sandbox.home)).read()).rejects.toMatchObject({
    code: 'STATE_INVALID',
    message: expect.stringContaining('plugins["__proto__"]'),
  });
  await expect(manager().list()).rejects.toMatchObject({ code: 'STATE_INVALID' });
  expect(({} as Record<string, unknown>).name).toBeUndefined();
});

it("a lockfile without 'constructor' removes an installed 'constructor', and a lockfile naming only prototype keys installs them", async () => {
  writePlugin(sandbox.plugins, { name: 'constructor' });
  await manager().install('constructor');
  const lock = parseLockfile(JSON.stringify({ lockfileVersion: 1, plugins: {} }), 'lock.json');
  expect(planSync(await manager().store.read(), lock)).toEqual([{ action: 'remove', name: 'constructor', from: '1.0.0' }]);

  const exported = await manager().exportLock();
  const text = JSON.stringify(exported);
  await manager().uninstall('constructor');
  const parsed = parseLockfile(text, 'lock.json');
  expect(planSync(await manager().store.read(), parsed)).toEqual([{ action: 'install', name: 'constructor', to: '1.0.0' }]);
  // A plain object of installed plugins (not one from the state store) is read the same way.
  expect(planSync({ version: 1, plugins: {} }, parsed)).toEqual([{ action: 'install', name: 'constructor', to: '1.0.0' }]);
  await manager().sync(parsed);
  expect((await manager().list()).map((plugin) => [plugin.name, plugin.status])).toEqual([['constructor', 'disabled']]);
});
