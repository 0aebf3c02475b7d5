// Issue 14, part 4, through the binary: `plugin sync` held no lock across its steps and rolled
// back by writing the whole state it started from, and a dead sync was found by its pid. Each test
// catches a sync mid-way by holding its download on a loopback server, and runs another marathon
// process meanwhile.
import { readFileSync, renameSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { exitedOrWaiting, heldServer, startMarathon, type HeldServer } from './held-download';
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
let prep: Workspace;
let server: HeldServer;
/** hello-world enabled and `slow` (from the held server); git-info enabled. */
let lockSlow: string;
let lockGit: string;

// The lockfiles and the server are inputs no test changes, made once (set-up steps, see
// Workspace.prepare): each test gets a fresh home of its own, and the server holds its downloads
// from the start of each test.
beforeAll(async () => {
  prep = workspace();
  const folder = writePluginFolder(prep.plugins, { name: 'slow', body: '{}' });
  const packed = JSON.parse((await prep.prepare(['plugin', 'pack', folder, '--output', join(prep.root, 'out'), '--json'])).stdout) as {
    file: string;
  };
  server = await heldServer(packed.file, 'slow-1.0.0.tgz');
  await prep.prepare(['plugin', 'install', 'hello-world', '--yes', '--enable']);
  await prep.prepare(['plugin', 'install', server.url, '--yes']);
  lockSlow = join(prep.root, 'slow.lock.json');
  await prep.prepare(['plugin', 'export', '--output', lockSlow]);
  await prep.prepare(['plugin', 'uninstall', 'slow']);
  await prep.prepare(['plugin', 'uninstall', 'hello-world']);
  await prep.prepare(['plugin', 'install', 'git-info', '--yes', '--enable']);
  lockGit = join(prep.root, 'git.lock.json');
  await prep.prepare(['plugin', 'export', '--output', lockGit]);
}, 120_000);
afterAll(async () => {
  await server.close();
  prep.cleanup();
});
beforeEach(() => {
  ws = workspace();
  server.holding = true;
});
afterEach(() => {
  // Whatever a test left held is refused, so that no process of it is still waiting.
  server.release(503);
  ws.cleanup();
});

/** stderr without the line a process prints when it waits for the lock (expected here). */
const besidesWaiting = (stderr: string) => stderr.replace(/^waiting for another marathon process to finish with .+\n/m, '');

const statuses = async (): Promise<string[]> =>
  (JSON.parse((await ws.ok(['plugin', 'list', '--json'])).stdout) as { plugins: Array<{ name: string; status: string }> }).plugins.map(
    (plugin) => `${plugin.name} ${plugin.status}`,
  );

test("an install by another process while a sync runs is not erased by the sync's rollback", async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--yes']);
  const sync = startMarathon(ws, ['plugin', 'sync', lockSlow]);
  await server.held();
  const install = startMarathon(ws, ['plugin', 'install', 'git-info', '--yes']);
  await exitedOrWaiting(install);
  server.release(500);
  const synced = await sync.done;
  expect(synced.code).toBe(1);
  expect(synced.stderr).toContain('the sync failed and this host was put back as it was');
  expect((await install.done).code).toBe(0);
  expect(await statuses()).toEqual(['git-info disabled', 'hello-world disabled']);
});

test("an operator's disable during a failing sync is not undone by its rollback", async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--yes', '--enable']);
  const sync = startMarathon(ws, ['plugin', 'sync', lockSlow]);
  await server.held();
  const disable = startMarathon(ws, ['plugin', 'disable', 'hello-world']);
  await exitedOrWaiting(disable);
  server.release(500);
  expect((await sync.done).code).toBe(1);
  expect((await disable.done).code).toBe(0);
  expect(await statuses()).toEqual(['hello-world disabled']);
});

test('two syncs at once: each that says the host matches its lockfile was right when it said so, and the last one still is', async () => {
  const first = startMarathon(ws, ['plugin', 'sync', lockSlow]);
  await server.held();
  const second = startMarathon(ws, ['plugin', 'sync', lockGit]);
  await exitedOrWaiting(second);
  server.release('tarball');
  const finished: string[] = [];
  const [a, b] = await Promise.all([
    first.done.then((outcome) => (finished.push(lockSlow), outcome)),
    second.done.then((outcome) => (finished.push(lockGit), outcome)),
  ]);
  expect([a.code, besidesWaiting(a.stderr), b.code, besidesWaiting(b.stderr)]).toEqual([0, '', 0, '']);
  expect(a.stdout).toContain('✅ This host matches');
  expect(b.stdout).toContain('✅ This host matches');
  const last = finished[1]!;
  const again = JSON.parse((await ws.ok(['plugin', 'sync', last, '--json'])).stdout) as { changed: boolean };
  expect({ last, changed: again.changed }).toEqual({ last, changed: false });
});

test('a sync killed mid-way is rolled back before the next sync, even when its pid is reused, and never after it', async () => {
  await ws.prepare(['plugin', 'install', 'hello-world', '--yes', '--enable']);
  const sync = startMarathon(ws, ['plugin', 'sync', lockSlow]);
  await server.held();
  sync.kill();
  await sync.done;
  const staging = join(ws.home, 'staging');
  const journal = () => readdirSync(staging).find((name) => /^stage-[\d.]+-sync-/.test(name));
  // Its pid now belongs to a live process (this test's): a pid says nothing about the sync.
  const killed = journal()!;
  renameSync(join(staging, killed), join(staging, killed.replace(/^stage-[\d.]+-/, `stage-${process.pid}-`)));
  const next = await ws.run(['plugin', 'sync', lockGit]);
  expect({ code: next.code, stderr: besidesWaiting(next.stderr) }).toEqual({ code: 0, stderr: '' });
  // Were the killed sync's journal still there, its "dead" pid would now get it rolled back over the newer sync.
  const left = existsSync(staging) ? journal() : undefined;
  if (left !== undefined) renameSync(join(staging, left), join(staging, left.replace(/^stage-[\d.]+-/, 'stage-999999-')));
  expect(await statuses()).toEqual(['git-info enabled']);
  expect(JSON.parse((await ws.ok(['plugin', 'sync', lockGit, '--json'])).stdout)).toMatchObject({ changed: false });
});

test('a sync that is alive holds the home: a change waits or gives the busy refusal, a read answers at once, and nothing is rolled back', async () => {
  const sync = startMarathon(ws, ['plugin', 'sync', lockSlow]);
  await server.held();
  const change = await ws.run(['plugin', 'install', 'git-info', '--yes'], { env: { MARATHON_LOCK_TIMEOUT_MS: '1000' } });
  expect(change.code).toBe(1);
  expect(change.stderr).toMatch(/another marathon process has held .+ try again later/);
  // Reads never wait for the lock (issue 16): they see the home as it is, mid-sync.
  const list = await ws.run(['plugin', 'list'], { env: { MARATHON_LOCK_TIMEOUT_MS: '1000' } });
  expect({ code: list.code, stderr: list.stderr }).toEqual({ code: 0, stderr: '' });
  server.release('tarball');
  const synced = await sync.done;
  expect({ code: synced.code, stderr: synced.stderr }).toEqual({ code: 0, stderr: '' });
  expect(await statuses()).toEqual(['hello-world enabled', 'slow disabled']);
  expect(readFileSync(lockSlow, 'utf8')).toContain(server.url);
});
