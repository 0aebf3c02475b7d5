// Real processes against one MARATHON_HOME: spawned, not simulated. Processes killed mid-operation
// are tools/reliability's crash-consistency suite (seeded, through the binary, in
// `npm run test:reliability`); the unseeded 50 kills that were here only repeated it.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { StateStore, marathonHome } from '@marathon/registry';
import { open, tempRoot, writePlugin, type Sandbox } from './helpers';

const script = join(__dirname, 'fixtures', 'mutate-home.cjs');
let sandbox: Sandbox;

beforeEach(() => {
  sandbox = tempRoot();
});
afterEach(() => sandbox.cleanup());

function run(args: string[]): { done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [script, sandbox.home, sandbox.plugins, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return {
    done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))),
  };
}

it('two processes mutating one home at once lose no update', async () => {
  const first = ['a1', 'a2', 'a3', 'a4'];
  const second = ['b1', 'b2', 'b3', 'b4'];
  for (const name of [...first, ...second]) writePlugin(sandbox.plugins, { name, commands: ['x'] });
  const [one, two] = await Promise.all([run(['install-enable', ...first]).done, run(['install-enable', ...second]).done]);
  expect([one.code, one.stderr, two.code, two.stderr]).toEqual([0, '', 0, '']);
  const state = await new StateStore(marathonHome(sandbox.home)).read();
  expect(Object.keys(state.plugins).sort()).toEqual([...first, ...second]);
  expect(Object.values(state.plugins).every((plugin) => plugin.status === 'enabled')).toBe(true);
});

it('MARATHON_LOCK_TIMEOUT_MS bounds how long the manager waits for another process, and a refused install leaves nothing behind', async () => {
  writePlugin(sandbox.plugins, { name: 'waits' });
  const home = marathonHome(sandbox.home);
  let release!: () => void;
  let taken!: () => void;
  const lockTaken = new Promise<void>((resolve) => (taken = resolve));
  const held = new StateStore(home).transaction(() => {
    taken();
    return new Promise<void>((resolve) => (release = resolve));
  });
  await lockTaken;
  const manager = await open(sandbox, { env: { PATH: process.env.PATH, MARATHON_LOCK_TIMEOUT_MS: '200' } });
  try {
    await expect(manager.install('waits', { yes: true })).rejects.toMatchObject({
      code: 'LOCK_TIMEOUT',
      message: expect.stringContaining('try again later'),
    });
  } finally {
    release();
    await held;
    await manager.close();
  }
  expect((await new StateStore(home).read()).plugins).toEqual({});
  expect(readdirSync(home.stagingDir)).toEqual([]);
  await expect(open(sandbox, { env: { MARATHON_LOCK_TIMEOUT_MS: 'soon' } })).rejects.toMatchObject({ code: 'SETTING_INVALID' });
});
