// Concurrency: 20 `marathon` processes change one MARATHON_HOME at the same time — installs of
// distinct plugins, enables, disables and uninstalls. Every process must succeed, or fail only
// with the clear "busy, try again" refusal (when its lock wait is cut short); every success must be
// in the final state (no lost update); and the state must match the folders on disk.
// Sized by processes: two rounds of 20, the second with a short lock timeout.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { homeProblems, loadState, statuses } from './support/home-check';
import { expectOk, runMarathon, type Outcome } from './support/marathon-process';

const PROCESSES = 20;
// Short enough that some of the 20 give up while others hold the home.
const SHORT_TIMEOUT_MS = 1000;
const BUSY = /^❌ another marathon process has held .+ for \d+ s; try again later\n$/;
const STACK_TRACE = /\n\s+at .+[:(]\d+:\d+\)?/;

let root: string;
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writePlugin(parent: string, name: string): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
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
  writeFileSync(
    join(dir, 'index.js'),
    `import { definePlugin } from '@marathon/plugin-api';\nexport default definePlugin({ init() {} });\n`,
  );
  return dir;
}

interface Job {
  args: string[];
  /** Applies the job's effect to a name → status map. */
  apply(state: Record<string, string>): void;
}

/** 20 jobs on distinct plugins: 8 installs, 4 enables, 4 disables, 4 uninstalls. */
function jobs(plugins: string): Job[] {
  const list: Job[] = [];
  for (let i = 0; i < 8; i++) {
    const name = `fresh-${i}`;
    list.push({ args: ['plugin', 'install', join(plugins, name), '--yes'], apply: (state) => void (state[name] = 'disabled') });
  }
  for (let i = 0; i < 4; i++) {
    list.push({ args: ['plugin', 'enable', `off-${i}`], apply: (state) => void (state[`off-${i}`] = 'enabled') });
    list.push({ args: ['plugin', 'disable', `on-${i}`], apply: (state) => void (state[`on-${i}`] = 'disabled') });
    list.push({ args: ['plugin', 'uninstall', `gone-${i}`], apply: (state) => void delete state[`gone-${i}`] });
  }
  return list;
}

function sortedKeys(state: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(state).sort(([a], [b]) => (a < b ? -1 : 1)));
}

let plugins: string;
let prepared: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'marathon-concurrency-'));
  plugins = join(root, 'plugins');
  for (let i = 0; i < 8; i++) writePlugin(plugins, `fresh-${i}`);
  prepared = join(root, 'prepared', 'home');
  mkdirSync(join(root, 'prepared'));
  for (let i = 0; i < 4; i++) {
    for (const [name, enable] of [
      [`off-${i}`, false],
      [`on-${i}`, true],
      [`gone-${i}`, i % 2 === 0],
    ] as const) {
      const args = ['plugin', 'install', writePlugin(plugins, name), '--yes', ...(enable ? ['--enable'] : [])];
      expectOk(args, await runMarathon(prepared, args));
    }
  }
  expect(Object.keys(loadState(prepared).plugins)).toHaveLength(12);
});

/** A fresh copy of the prepared home, and the statuses it starts with. */
function homeFor(round: string): { home: string; start: Record<string, string> } {
  const home = join(root, round, 'home');
  cpSync(prepared, home, { recursive: true });
  return { home, start: statuses(loadState(home)) };
}

function runAll(home: string, list: readonly Job[], env: NodeJS.ProcessEnv = {}): Promise<Outcome[]> {
  return Promise.all(list.map((job) => runMarathon(home, job.args, { env })));
}

test(`${PROCESSES} processes at once on one home: every change lands`, async () => {
  const { home, start } = homeFor('all-succeed');
  const list = jobs(plugins);
  expect(list).toHaveLength(PROCESSES);
  const outcomes = await runAll(home, list);
  expect(
    outcomes.map((outcome, i) => ({
      job: list[i]!.args.join(' '),
      code: outcome.code,
      stderr: outcome.stderr.replace(/^⚠️ .*\n/gm, '').replace(/^waiting for another marathon process.*\n/gm, ''),
    })),
  ).toEqual(list.map((job) => ({ job: job.args.join(' '), code: 0, stderr: '' })));
  const expected = { ...start };
  for (const job of list) job.apply(expected);
  expect(statuses(loadState(home))).toEqual(sortedKeys(expected));
  expect(Object.keys(loadState(home).plugins)).toHaveLength(12 + 8 - 4);
  expect(homeProblems(home, true)).toEqual([]);
});

test(`${PROCESSES} processes at once with a short lock timeout: each succeeds or says the home is busy, and no success is lost`, async () => {
  const { home, start } = homeFor('short-timeout');
  const list = jobs(plugins);
  const outcomes = await runAll(home, list, { MARATHON_LOCK_TIMEOUT_MS: String(SHORT_TIMEOUT_MS) });
  const expected = { ...start };
  const busy: Job[] = [];
  outcomes.forEach((outcome, i) => {
    const job = list[i]!;
    const where = job.args.join(' ');
    expect({ where, stderr: outcome.stderr }).toEqual({ where, stderr: expect.not.stringMatching(STACK_TRACE) });
    if (outcome.code === 0) job.apply(expected);
    else {
      // A process that waited over a second also said it was waiting, before giving up; an install
      // warns about an unsigned plugin (naming it) before it asks for the lock.
      const stderr = outcome.stderr
        .replace(/^waiting for another marathon process.*\n/m, '')
        .replace(/^⚠️ {2}[^:\n]+: the plugin is not signed.*\n/m, '');
      expect({ where, code: outcome.code, stderr }).toEqual({ where, code: 1, stderr: expect.stringMatching(BUSY) });
      busy.push(job);
    }
  });
  // Every success is there, and a refused process changed nothing.
  expect(statuses(loadState(home))).toEqual(sortedKeys(expected));
  expect(homeProblems(home, false)).toEqual([]);
  console.log(
    `concurrency: ${PROCESSES} processes with a ${SHORT_TIMEOUT_MS} ms lock timeout: ` +
      `${PROCESSES - busy.length} succeeded, ${busy.length} said the home was busy`,
  );
  // Tried again, the refused ones complete, and the home ends as if all had run.
  for (const job of busy) expectOk(job.args, await runMarathon(home, job.args));
  for (const job of busy) job.apply(expected);
  expect(statuses(loadState(home))).toEqual(sortedKeys(expected));
  expect(homeProblems(home, true)).toEqual([]);
});
