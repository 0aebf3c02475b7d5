// Issue 15, item 1: `task run` handed the command oclif's non-strict parse of its argv, which sorts
// arguments by first occurrence and drops into `--` handling of its own: `--name touch -- echo
// touch out.txt` ran `touch`, `-- echo one -- two` ran `--`, `x y x` arrived as `x x y`. Everything
// after the first `--` now reaches the command byte for byte.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { splitTaskArgv } from '../src/task-argv';
import { workspace, type Workspace } from './marathon-binary';
import { assertTaskRunHandsOverArgv, shellArgument } from './task-argv-property';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

const argument = shellArgument(12);

describe('splitTaskArgv', () => {
  it('takes everything after the first -- as it is, and gives oclif only what is before it', () => {
    fc.assert(
      fc.property(fc.array(argument, { maxLength: 20 }), (argv) => {
        const split = splitTaskArgv(argv);
        const separator = argv.indexOf('--');
        if (separator === -1) {
          expect(split).toEqual({ flags: argv, command: undefined });
        } else {
          expect(split.flags).not.toContain('--');
          expect([...split.flags, '--', ...split.command!]).toEqual(argv);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('marathon task run', () => {
  const printArgs = (): string => {
    const script = join(ws.root, 'print-args.js');
    writeFileSync(script, 'process.stdout.write(JSON.stringify(process.argv.slice(2)));\n');
    return script;
  };

  // A few generated vectors here; tools/reliability/test/fuzz-task-run-argv.test.ts runs 30 (with
  // longer argv) in `npm run test:reliability`: each run is two process start-ups.
  it('hands every argument after -- to the command exactly (property, through the binary)', async () => {
    await assertTaskRunHandsOverArgv(ws, { numRuns: 6, maxArgs: 8, maxLength: 12 });
  });

  it('the cases of the issue: the command is the first word after --, and a later -- is an argument', async () => {
    const touch = await ws.run(['task', 'run', '--name', 'touch', '--', 'echo', 'touch', 'out.txt']);
    expect(touch).toMatchObject({ code: 0, stdout: 'touch out.txt\n' });
    expect(readdirSync(ws.root)).not.toContain('out.txt');
    expect(await ws.run(['task', 'run', '--name', 'build', '--', 'echo', 'build'])).toMatchObject({ code: 0, stdout: 'build\n' });
    expect(await ws.run(['task', 'run', '--', 'echo', 'one', '--', 'two'])).toMatchObject({ code: 0, stdout: 'one -- two\n' });
    const script = printArgs();
    expect(JSON.parse((await ws.ok(['task', 'run', '--', process.execPath, script, 'x', 'y', 'x'])).stdout)).toEqual(['x', 'y', 'x']);
    // Flags after -- are the command's, even ours.
    expect(JSON.parse((await ws.ok(['task', 'run', '--', process.execPath, script, '--name', 'n', '--help', '-h'])).stdout)).toEqual([
      '--name',
      'n',
      '--help',
      '-h',
    ]);
  });

  it('without --, a plain command still runs; a word before -- is refused, nothing run', async () => {
    expect(await ws.run(['task', 'run', 'echo', 'hello'])).toMatchObject({ code: 0, stdout: 'hello\n' });
    const refused = await ws.run(['task', 'run', 'touch', '--', 'out.txt']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("the command goes after --, and 'touch' came before it");
    expect(readdirSync(ws.root)).not.toContain('out.txt');
    const missing = await ws.run(['task', 'run', '--name', 'x', '--']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no command given');
  });
});
