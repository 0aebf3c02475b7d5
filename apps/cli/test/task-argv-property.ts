// The property of `marathon task run`'s argv hand-over (issue 15, item 1), shared by the CLI suite
// (a few vectors in `npm test`) and tools/reliability's fuzz-task-run-argv (its full size).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Workspace } from './marathon-binary';

/** What a shell hands over: any text but NUL (no argv can hold it), flag- and separator-like words often. */
export function shellArgument(maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
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
    fc.string({ unit: 'grapheme', maxLength }).filter((text) => !text.includes('\0')),
  );
}

export interface ArgvPropertySize {
  numRuns: number;
  /** Arguments after `--` (besides the command), at most. */
  maxArgs: number;
  /** Graphemes in a generated argument, at most. */
  maxLength: number;
}

/** Runs `task run [--name=…] -- node print-args.js …args` through the real binary and checks args arrive exactly. */
export async function assertTaskRunHandsOverArgv(ws: Pick<Workspace, 'root' | 'run'>, size: ArgvPropertySize): Promise<void> {
  const printArgs = join(ws.root, 'print-args.js');
  writeFileSync(printArgs, 'process.stdout.write(JSON.stringify(process.argv.slice(2)));\n');
  const argument = shellArgument(size.maxLength);
  // A --name value that starts with '-' is oclif's to refuse ("expects a value"): names are drawn
  // without one; what is under test is everything after --.
  const taskName = fc.option(
    argument.filter((name) => name !== '' && !name.startsWith('-')),
    { nil: undefined },
  );
  await fc.assert(
    fc.asyncProperty(taskName, fc.array(argument, { maxLength: size.maxArgs }), async (name, args) => {
      const outcome = await ws.run([
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
    { numRuns: size.numRuns },
  );
}
