// Crash consistency: the real `marathon` binary is SIGKILLed at random points of install, enable,
// disable, uninstall and sync, in two homes at once. After every kill the home must be consistent
// (state.json loads; every record's folder exists with the files it recorded), the interrupted
// command run again must complete (or say clearly that it already had), and then nothing may be
// left in installed/ or staging/ that the state does not account for.
//
// Sized by kills, not by time: each home runs until LANDED_PER_HOME kills reached a live process.
// Kill points: a seeded PRNG picks a fraction of the operation's last measured full duration.
// MARATHON_CRASH_SEED=<n> replays a run's choices (timing of the machine still varies).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { homeProblems, loadState, statuses } from './support/home-check';
import { expectOk, runMarathon, seededRandom, type Outcome } from './support/marathon-process';

const HOMES = 2;
const LANDED_PER_HOME = Number(process.env.MARATHON_CRASH_LANDED_PER_HOME ?? 100);
// A home gives up (and the test fails) after this many attempts: it bounds the run if kills stop landing.
const MAX_ATTEMPTS_PER_HOME = 2 * LANDED_PER_HOME + 10;
// Kills in a row of one operation (its re-runs killed too) before a re-run is left to finish.
const MAX_CHAIN = 6;
const SEED = Number(process.env.MARATHON_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

const STACK_TRACE = /\n\s+at .+[:(]\d+:\d+\)?/;

let root: string;
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder plugin with many files, so that copying, renaming and hashing it take a while. */
function writeWidePlugin(parent: string, name: string, files: number): string {
  const dir = join(parent, name);
  mkdirSync(join(dir, 'lib'), { recursive: true });
  const manifest = {
    name,
    version: '1.0.0',
    description: `The ${name} test plugin`,
    api_version: '1.0.0',
    permissions: ['task_read'],
    hooks: [],
    commands: [],
  };
  writeFileSync(join(dir, 'plugin.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const imports = Array.from({ length: files }, (_, i) => `import { part${i} } from './lib/part-${i}.js';`).join('\n');
  writeFileSync(
    join(dir, 'index.js'),
    `import { definePlugin } from '@marathon/plugin-api';\n${imports}\nexport default definePlugin({ ` +
      `init() { return [${Array.from({ length: files }, (_, i) => `part${i}`).join(', ')}].length; } });\n`,
  );
  for (let i = 0; i < files; i++)
    writeFileSync(join(dir, 'lib', `part-${i}.js`), `export const part${i} = ${JSON.stringify('x'.repeat(2000 + i))};\n`);
  return dir;
}

interface Operation {
  kind: string;
  args: string[];
  /** The statuses the operation must end with, from those it started with. */
  expected(before: Record<string, string>): Record<string, string>;
  /** Whether a re-run may refuse, because the killed run had already committed (e.g. "already installed"). */
  refusalWhenDone?: { done(mid: Record<string, string>): boolean; message: RegExp };
}

function same(a: Record<string, string>, b: Record<string, string>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function trace(line: string): void {
  if (process.env.MARATHON_CRASH_TRACE !== undefined) console.log(line);
}

function withStatus(before: Record<string, string>, name: string, status: string | undefined): Record<string, string> {
  const next = { ...before };
  if (status === undefined) delete next[name];
  else next[name] = status;
  return Object.fromEntries(Object.entries(next).sort(([a], [b]) => (a < b ? -1 : 1)));
}

test('a SIGKILL at any point of install, enable, disable, uninstall or sync leaves a consistent home that the re-run completes', async () => {
  root = mkdtempSync(join(tmpdir(), 'marathon-crash-'));
  const plugins = join(root, 'plugins');
  const probe = writeWidePlugin(plugins, 'crash-probe', 60);
  const fleetFolder = writeWidePlugin(plugins, 'fleet-folder', 30);
  const lockA = join(root, 'a.lock.json');
  const lockB = join(root, 'b.lock.json');

  // Two prepared homes, built in parallel: A (with a dependency) and B (with a folder source).
  const ok = async (home: string, args: string[]) => expectOk(args, await runMarathon(home, args));
  const homeA = join(root, 'prep-a', 'home');
  const homeB = join(root, 'prep-b', 'home');
  mkdirSync(join(root, 'prep-a'));
  mkdirSync(join(root, 'prep-b'));
  await Promise.all([
    (async () => {
      for (const plugin of ['hello-world', 'task-audit-log', 'task-policy', 'git-info'])
        await ok(homeA, ['plugin', 'install', plugin, '--yes']);
      await ok(homeA, ['plugin', 'enable', 'hello-world']);
      await ok(homeA, ['plugin', 'enable', 'task-policy']);
      await ok(homeA, ['plugin', 'export', '--output', lockA]);
    })(),
    (async () => {
      for (const plugin of ['hello-world', 'git-info', 'webhook-notifier', fleetFolder])
        await ok(homeB, ['plugin', 'install', plugin, '--yes']);
      await ok(homeB, ['plugin', 'enable', 'git-info']);
      await ok(homeB, ['plugin', 'enable', 'webhook-notifier']);
      await ok(homeB, ['plugin', 'export', '--output', lockB]);
    })(),
  ]);
  const stateA = statuses(loadState(homeA));
  const stateB = statuses(loadState(homeB));
  expect(stateA).toEqual({ 'git-info': 'disabled', 'hello-world': 'enabled', 'task-audit-log': 'enabled', 'task-policy': 'enabled' });
  expect(stateB).toEqual({ 'fleet-folder': 'disabled', 'git-info': 'enabled', 'hello-world': 'disabled', 'webhook-notifier': 'enabled' });

  const cycle: Operation[] = [
    {
      kind: 'install',
      args: ['plugin', 'install', probe, '--yes'],
      expected: (before) => withStatus(before, 'crash-probe', 'disabled'),
      refusalWhenDone: { done: (mid) => mid['crash-probe'] !== undefined, message: /plugin 'crash-probe' 1\.0\.0 is already installed/ },
    },
    { kind: 'enable', args: ['plugin', 'enable', 'crash-probe'], expected: (before) => withStatus(before, 'crash-probe', 'enabled') },
    { kind: 'disable', args: ['plugin', 'disable', 'crash-probe'], expected: (before) => withStatus(before, 'crash-probe', 'disabled') },
    {
      kind: 'uninstall',
      args: ['plugin', 'uninstall', 'crash-probe'],
      expected: (before) => withStatus(before, 'crash-probe', undefined),
      refusalWhenDone: { done: (mid) => mid['crash-probe'] === undefined, message: /plugin 'crash-probe' is not installed/ },
    },
    { kind: 'sync-a', args: ['plugin', 'sync', lockA], expected: () => stateA },
    { kind: 'sync-b', args: ['plugin', 'sync', lockB], expected: () => stateB },
  ];

  // Each worker home starts as a copy of B; a first full sync to A there measures a sync.
  const estimate = new Map<string, number>();
  const homes = Array.from({ length: HOMES }, (_, i) => {
    const home = join(root, `worker-${i}`, 'home');
    cpSync(homeB, home, { recursive: true });
    return home;
  });
  const measured = await Promise.all(homes.map(async (home) => ok(home, ['plugin', 'sync', lockA])));
  const syncMs = Math.max(...measured.map((outcome) => outcome.ms));
  for (const home of homes) await ok(home, ['plugin', 'sync', lockB]);
  for (const op of cycle) estimate.set(op.kind, op.kind.startsWith('sync') ? syncMs : 1500);

  trace(`prepared in ${Math.round(process.uptime())} s of process time`);
  const totals = { landed: 0, finished: 0, committedBeforeKill: 0, operations: 0, refusedAsDone: 0 };
  let failed = false;

  async function worker(index: number): Promise<void> {
    const home = homes[index]!;
    const random = seededRandom(SEED + index);
    let landed = 0;
    let attempts = 0;
    for (let round = 0; landed < LANDED_PER_HOME && !failed; round++) {
      const op = cycle[round % cycle.length]!;
      const before = statuses(loadState(home));
      const expected = op.expected(before);
      totals.operations++;
      // Kill the operation; then, three times in four, kill its re-run too (a crash during
      // recovery), up to MAX_CHAIN kills, before a re-run that is left to finish.
      let midStatuses = before;
      let where = '';
      for (let chain = 0; chain < MAX_CHAIN && (chain === 0 || random() < 0.75); chain++) {
        if (++attempts > MAX_ATTEMPTS_PER_HOME)
          throw new Error(`home ${index}: only ${landed} of ${attempts - 1} kills landed mid-operation`);
        const delay = Math.floor(random() * estimate.get(op.kind)!);
        const killed = await runMarathon(home, op.args, { killAfterMs: delay });
        where = `home ${index}, round ${round}, kill ${chain + 1}: ${op.kind} killed after ${delay} ms (seed ${SEED})`;
        trace(`${where}: ${killed.signal ?? `exit ${killed.code}`} at ${Math.round(killed.ms)} ms`);
        if (killed.signal === 'SIGKILL') {
          landed++;
          totals.landed++;
        } else {
          // It finished: its duration is the operation's full length from this state.
          estimate.set(op.kind, killed.ms);
          totals.finished++;
          expect({ where, stderr: killed.stderr }).toEqual({ where, stderr: expect.not.stringMatching(STACK_TRACE) });
        }
        // Straight after the kill: the state loads and every record matches its folder; a single
        // operation is all there or not at all.
        expect({ where, problems: homeProblems(home, false) }).toEqual({ where, problems: [] });
        // A killed sync is rolled back by the next process that opens the home (plugin list does,
        // when it sees a sync's trash): all of it or none of it, as for a single operation.
        if (op.kind.startsWith('sync') && killed.signal === 'SIGKILL') {
          await ok(home, ['plugin', 'list']);
          expect({ where, problems: homeProblems(home, true) }).toEqual({ where, problems: [] });
        }
        const previous = midStatuses;
        midStatuses = statuses(loadState(home));
        if (!same(midStatuses, before)) expect({ where, statuses: midStatuses }).toEqual({ where, statuses: expected });
        if (killed.signal === 'SIGKILL' && same(midStatuses, expected) && !same(previous, expected)) totals.committedBeforeKill++;
        if (killed.signal !== 'SIGKILL') break;
      }

      // The operation run again completes, or says plainly that it had already been done.
      const rerun: Outcome = await runMarathon(home, op.args);
      trace(
        `${where}: re-run exit ${rerun.code} in ${Math.round(rerun.ms)} ms${rerun.stderr.includes('waiting for another') ? ' (waited for the lock)' : ''}`,
      );
      const refusal = op.refusalWhenDone !== undefined && op.refusalWhenDone.done(midStatuses) ? op.refusalWhenDone.message : undefined;
      if (refusal === undefined) {
        expect({ where, code: rerun.code, stderr: rerun.stderr }).toEqual({
          where,
          code: 0,
          stderr: expect.not.stringMatching(STACK_TRACE),
        });
        if (!same(midStatuses, expected)) estimate.set(op.kind, rerun.ms);
      } else {
        totals.refusedAsDone++;
        expect({ where, code: rerun.code, stderr: rerun.stderr }).toEqual({ where, code: 1, stderr: expect.stringMatching(refusal) });
        expect(rerun.stderr).not.toMatch(STACK_TRACE);
      }
      expect({ where, problems: homeProblems(home, true) }).toEqual({ where, problems: [] });
      expect({ where, statuses: statuses(loadState(home)) }).toEqual({ where, statuses: expected });
    }
  }

  try {
    await Promise.all(
      homes.map((_, index) =>
        worker(index).catch((error: unknown) => {
          failed = true;
          throw error;
        }),
      ),
    );
  } finally {
    console.log(
      `crash-consistency: ${totals.landed} kills landed mid-operation, ${totals.finished} runs had ` +
        `already exited, ${totals.committedBeforeKill} killed after their commit, ${totals.operations} ` +
        `operations (${totals.refusedAsDone} re-runs refused as already done), ${HOMES} homes, seed ${SEED}`,
    );
  }
  expect(totals.landed).toBeGreaterThanOrEqual(HOMES * LANDED_PER_HOME);
});
