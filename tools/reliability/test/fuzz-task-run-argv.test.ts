// Fuzzing `marathon task run`'s hand-over of argv (issue 15, item 1): whatever follows the first
// `--`, the command receives byte for byte, through the real binary. `npm test` runs the same
// property a few times (apps/cli/test/issue-15-task-run-argv.test.ts); this is its full size.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';

const BINARY = resolve(__dirname, '..', '..', '..', 'apps', 'cli', 'bin', 'run.js');
const RUNS = 30;

let root: string;
let printArgs: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-fuzz-task-argv-'));
  printArgs = join(root, 'print-args.js');
  writeFileSync(printArgs, 'process.stdout.write(JSON.stringify(process.argv.slice(2)));\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function marathon(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BINARY, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: root, MARATHON_HOME: join(root, 'home'), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** What a shell hands over: any text but NUL (no argv can hold it), flag- and separator-like words often. */
const word = fc.oneof(
  fc.constantFrom(
    '--',
    '-x',
    '--name',
    '--name=x',
    '-',
    '',
    ' ',
    'a b',
    'x',
    '--help',
    '-h',
    '--version',
    '--json',
    'é',
    '日本',
    '👍🏽',
    '$HOME',
    '*',
    "'",
    '"',
    '\\',
    '\n',
    '\u202e',
  ),
  fc.string({ unit: 'grapheme', maxLength: 16 }).filter((text) => !text.includes('\0')),
);
// A --name value starting with '-' is oclif's to refuse ("expects a value"): what is fuzzed is after --.
const taskName = fc.option(
  word.filter((name) => name !== '' && !name.startsWith('-')),
  { nil: undefined },
);

it(`hands every argument after -- to the command exactly, ${RUNS} generated argv vectors through the real binary`, async () => {
  await fc.assert(
    fc.asyncProperty(taskName, fc.array(word, { maxLength: 12 }), async (name, args) => {
      const outcome = await marathon([
        'task',
        'run',
        ...(name === undefined ? [] : [`--name=${name}`]),
        '--',
        process.execPath,
        printArgs,
        ...args,
      ]);
      expect({ code: outcome.code, stderr: outcome.stderr, args: JSON.parse(outcome.stdout) as unknown }).toEqual({
        code: 0,
        stderr: '',
        args,
      });
    }),
    { numRuns: RUNS },
  );
});
