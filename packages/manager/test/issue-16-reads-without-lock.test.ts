// Opening MARATHON_HOME and reading it never wait for the state lock (issue 16): a process holding
// it for a long change (here a child that holds it until killed) does not hold up `open` or `list`.
// No timing is asserted: the reads must finish while the child still holds the lock.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, useManager, writePlugin } from './helpers';

let holder: ChildProcess | undefined;

// Before useManager's: the holder is gone before its home is removed.
afterEach(async () => {
  if (holder !== undefined && holder.exitCode === null) {
    const exited = new Promise((resolve) => holder!.once('exit', resolve));
    holder.kill('SIGKILL');
    await exited;
  }
  holder = undefined;
});
const { sandbox } = useManager({ open: false });
beforeEach(() => {
  writePlugin(sandbox.plugins, { name: 'keeper', permissions: ['task_read'], hooks: ['post_task_execute'] });
});

async function holdLock(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'hold-lock.cjs'), sandbox.home], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('holding')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', () => reject(new Error(`the lock holder exited: ${output}`)));
  });
  return child;
}

it('opens and lists while another process holds the state lock', async () => {
  const first = await open(sandbox);
  await first.install('keeper', { yes: true });
  await first.enable('keeper');
  await first.close();
  // Leftovers a reader leaves to the next change: install staging of a live process stays anyway.
  mkdirSync(join(sandbox.home, 'installed', 'stray@1.0.0-abc'), { recursive: true });
  holder = await holdLock();
  // A lock wait would fail here with LOCK_TIMEOUT after a second, not pass late.
  const reader = await open(sandbox, { lockTimeoutMs: 1000 });
  expect((await reader.list()).map((record) => `${record.name} ${record.status}`)).toEqual(['keeper enabled']);
  expect(await reader.info('keeper')).toMatchObject({ record: { status: 'enabled' } });
  await reader.close();
  expect(holder.exitCode).toBeNull();
}, 30_000);
