// Fuzzing the marathon CLI's argument handling: generated argv vectors for the real commands, with
// random flags, values, unicode, empty strings, paths that do not exist and `--`. Most run in one
// process that loads oclif once (test/cli-driver.cjs; a process per vector costs ~0.3 s); a
// sample runs the real binary.
// Every vector must end in exit 0 or an error whose output is a message for an operator (no stack
// trace, no TypeError), and nothing may be written outside the throwaway MARATHON_HOME and HOME.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import fc from 'fast-check';

const CLI_ROOT = resolve(__dirname, '..', '..', '..', 'apps', 'cli');
const BINARY = join(CLI_ROOT, 'bin', 'run.js');
const IN_PROCESS_RUNS = 4_000;
const BINARY_RUNS = 60;
/** What an operator must never see: a JavaScript stack frame, or a programming error's words. */
const CRASH_SIGNS = [
  /^\s+at (?:.+ \()?\S+:\d+:\d+\)?$/m,
  /TypeError|ReferenceError|RangeError|SyntaxError: (?!.*JSON)/,
  /Cannot read propert/,
  /is not a function/,
  /undefined is not/,
];

/** Errors that only a bug throws; any of them reaching the operator is a crash. */
const PROGRAMMING_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError', 'AssertionError']);

let root: string;
let home: string;
let cwd: string;
let emptyPath: string;
let before: string;
const outcomes = { ok: 0, refused: 0 };

function snapshot(dir: string, skip: string): string {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((name) => !(join(dir, name) + sep).startsWith(skip + sep))
    .sort()
    .map((name) => `${name} ${lstatSync(join(dir, name)).size}`)
    .join('\n');
}

// --- generators -------------------------------------------------------------------------------

const COMMANDS: readonly string[][] = [
  ['plugin', 'install'],
  ['plugin', 'enable'],
  ['plugin', 'disable'],
  ['plugin', 'info'],
  ['plugin', 'uninstall'],
  ['plugin', 'list'],
  ['plugin', 'verify'],
  ['plugin', 'events'],
  ['plugin', 'audit'],
  ['plugin', 'run'],
  ['plugin', 'refresh'],
  ['task', 'run'],
  ['config', 'validate'],
  ['keys', 'add'],
  ['keys', 'remove'],
  ['keys', 'list'],
  ['plugin'],
  ['keys'],
  ['help'],
  ['plugin', 'nope'],
  [],
];
const FLAGS = [
  '--json',
  '--yes',
  '--force',
  '--enable',
  '--status',
  '--integrity',
  '--name',
  '--limit',
  '--plugin',
  '--hook',
  '--denied',
  '--help',
  '-h',
  '--',
  '--registry',
  '--no-such-flag',
  '-x',
  '--status=weird',
  '--limit=-1',
  '--limit=1e99',
  '--json=false',
  '---',
  '-',
];

/** No NUL: a real argv cannot hold one (execve ends the string there). */
const text = (options: fc.StringConstraints) => fc.string(options).map((value) => value.replace(/\0/g, ''));
const value = fc.oneof(
  fc.constantFrom(...FLAGS),
  fc.constantFrom(
    '',
    ' ',
    'hello-world',
    'slack-notifier',
    '@scope/x',
    'x@1.0.0',
    'npm:nope@^1',
    '../../etc/passwd',
    '~',
    '~/nope',
    '.',
    '..',
    'true',
    'enabled',
    'disabled',
    'error',
    '0',
    '-1',
    'sha512-xyz',
    '{}',
    '[]',
    'ﾟ｡',
    '\u202e',
    '\n',
    '%s%n',
    '$(id)',
    '`id`',
  ),
  fc.constant(null).map(() => join(root, 'does-not-exist', 'plugin.tgz')),
  fc.constantFrom(
    'does-not-exist/',
    './missing.tgz',
    'missing.tar.gz',
    'nope.json',
    'http://127.0.0.1:9/p.tgz',
    'https://127.0.0.1:9/p.tgz',
  ),
  text({ unit: 'grapheme', maxLength: 20 }),
  text({ unit: 'binary-ascii', maxLength: 12 }),
  fc.nat(5_000).map((n) => 'a'.repeat(n)),
);
const argv = fc.tuple(fc.constantFrom(...COMMANDS), fc.array(value, { maxLength: 6 })).map(([command, rest]) => [...command, ...rest]);

// --- checks -----------------------------------------------------------------------------------

function checkOutput(output: string, args: readonly string[]): void {
  for (const sign of CRASH_SIGNS) {
    if (sign.test(output)) throw new Error(`marathon ${JSON.stringify(args)} crashed (${sign}):\n${output.slice(0, 1500)}`);
  }
}

function checkNothingOutside(args: readonly string[]): void {
  const after = snapshot(root, home);
  if (after !== before) throw new Error(`marathon ${JSON.stringify(args)} wrote outside MARATHON_HOME/HOME:\n${after}`);
}

interface DriverAnswer {
  code: number;
  output: string;
  /** An error out of the command that is not oclif's exit or CLI error, with its class and stack. */
  thrown?: { name: string; stack: string };
  /** An uncaught exception or unhandled rejection while the vector ran. */
  escaped?: string;
}

let driver: ChildProcess;

/** Runs one argv in the driver process (oclif loaded once), output captured. */
function runInProcess(args: readonly string[]): Promise<DriverAnswer> {
  return new Promise((resolvePromise, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`the CLI driver died (exit ${code}) running ${JSON.stringify(args)}`));
    driver.once('exit', onExit);
    driver.once('message', (answer) => {
      driver.off('exit', onExit);
      resolvePromise(answer as DriverAnswer);
    });
    driver.send([...args]);
  });
}

function cliEnv(): NodeJS.ProcessEnv {
  // PATH holds nothing, so `task run <random>` can never start a real program; the npm registry is
  // a closed port on this machine.
  return { PATH: emptyPath, HOME: home, MARATHON_HOME: join(home, '.marathon'), MARATHON_REGISTRY: 'http://127.0.0.1:9/', NO_COLOR: '1' };
}

function runBinary(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BINARY, ...args], {
      cwd,
      env: cliEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, output }));
  });
}

// --- properties -------------------------------------------------------------------------------

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'marathon-fuzz-cli-'));
  home = join(root, 'home');
  cwd = join(root, 'cwd');
  emptyPath = join(root, 'empty-path');
  for (const dir of [home, cwd, emptyPath]) mkdirSync(dir);
  writeFileSync(join(root, 'sentinel.txt'), 'must stay as it is');
  before = snapshot(root, home);
  driver = fork(join(__dirname, 'cli-driver.cjs'), [], { cwd, env: cliEnv(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((ready, failed) => {
    driver.once('message', ready);
    driver.once('exit', (code) => failed(new Error(`the CLI driver exited ${code} while loading`)));
  });
});

afterAll(() => {
  driver.kill();
  rmSync(root, { recursive: true, force: true });
});

describe('fuzzing the marathon CLI argument vectors', () => {
  it(`runs ${IN_PROCESS_RUNS} generated argv vectors in-process through oclif`, async () => {
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        const { code, output, thrown, escaped } = await runInProcess(args);
        if (escaped !== undefined) throw new Error(`marathon ${JSON.stringify(args)} crashed:\n${escaped}`);
        if (thrown !== undefined && PROGRAMMING_ERRORS.has(thrown.name))
          throw new Error(`marathon ${JSON.stringify(args)} crashed:\n${thrown.stack}`);
        checkOutput(output, args);
        if (code !== 0 && output.trim() === '') throw new Error(`marathon ${JSON.stringify(args)} exited ${code} without a word`);
        checkNothingOutside(args);
        outcomes[code === 0 ? 'ok' : 'refused'] += 1;
      }),
      { numRuns: IN_PROCESS_RUNS },
    );
    // Both outcomes must occur, or the generators have gone blind.
    expect(outcomes.ok).toBeGreaterThan(IN_PROCESS_RUNS / 50);
    expect(outcomes.refused).toBeGreaterThan(IN_PROCESS_RUNS / 4);
  });

  it(`runs ${BINARY_RUNS} generated argv vectors through the real binary`, async () => {
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        const { code, output } = await runBinary(args);
        checkOutput(output, args);
        if (code === null) throw new Error(`marathon ${JSON.stringify(args)} was killed by a signal`);
        if (code !== 0 && output.trim() === '') throw new Error(`marathon ${JSON.stringify(args)} exited ${code} without a word`);
        checkNothingOutside(args);
      }),
      { numRuns: BINARY_RUNS },
    );
  });
});
