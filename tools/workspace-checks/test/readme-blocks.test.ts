// Every README.md of the workspace's packages (under packages/, apps/, plugins/ and tools/, build
// output and node_modules aside) works as its code blocks say, as docs/ does:
//
//   ```json          parses; a plugin.json (one with api_version) validates
//   ```ts, ```js     compiles against the built workspace packages (an ES module, nodenext
//                    resolution from the workspace root's node_modules; plugin code, which calls
//                    definePlugin, without Node's types) and runs with node: it must exit 0, so a
//                    block states what it shows with node:assert where it matters
//   ```ts no-run     compiles only: for a block that needs what a reader brings (their plugin
//   ```js no-run     folder, a tarball of theirs) or a long-running process; say why next to it
//   ```console       runs command by command against the real marathon binary, printing what the
//                    README shows (docs.test.ts's rules: `…` is a wildcard, ❌ means it fails)
//   ```text, ```sh   shown, not checked (an API outline, a shell line for the repository)
//
// Programs run in a fresh folder of their own, with HOME and MARATHON_HOME inside it and a copy of
// the built hello-world example plugin at ./hello-world. Console blocks of one README share one
// session, in order. Needs built packages (`npx nx run-many -t build`).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { safeParseManifest } from '@marathon/manifest';
import { compilePrograms, runProgram, type BlockProgram, type CompiledPrograms } from './block-programs';
import { newSession, runConsoleBlock } from './console-session';
import { codeBlocks } from './doc-blocks';
import { workspaceRoot } from './workspace';

const KNOWN = new Set(['json', 'ts', 'js', 'console', 'text', 'sh']);
const FLAGS = new Set(['no-run']);
const helloWorld = join(workspaceRoot, 'apps', 'example-plugins', 'plugins', 'hello-world');

/** The READMEs git tracks or would track (so build output, which is ignored, is left out). */
function readmes(): string[] {
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: workspaceRoot,
    encoding: 'utf8',
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return listed.stdout
    .split('\0')
    .filter((file) => /^(packages|apps|plugins|tools)\/(.+\/)?README\.md$/.test(file) && existsSync(join(workspaceRoot, file)))
    .sort();
}

const files = readmes();
const blocksOf = new Map(files.map((file) => [file, codeBlocks(readFileSync(join(workspaceRoot, file), 'utf8'))]));
const programs: BlockProgram[] = files.flatMap((file) =>
  blocksOf
    .get(file)!
    .filter((block) => block.lang === 'ts' || block.lang === 'js')
    .map((block) => ({ where: `${file}:${block.line}`, block })),
);
let compiled: CompiledPrograms;
beforeAll(() => {
  compiled = compilePrograms(programs);
});
afterAll(() => compiled.remove());

test('finds the package READMEs', () => {
  expect(files).toEqual(
    expect.arrayContaining([
      'packages/events/README.md',
      'apps/cli/README.md',
      'plugins/oclif-plugin/README.md',
      'tools/test-registry/README.md',
    ]),
  );
  expect(files.some((file) => file.startsWith('apps/example-plugins/plugins/'))).toBe(false);
});

describe.each(files)('%s', (file) => {
  const blocks = blocksOf.get(file)!;
  const mine = programs.filter((program) => program.where.startsWith(`${file}:`));

  it('says what each code block is', () => {
    const unknown = blocks
      .filter((block) => !KNOWN.has(block.lang) || (block.flags ?? []).some((flag) => !FLAGS.has(flag)))
      .map((block) => `line ${block.line}: \`\`\`${block.lang} ${(block.flags ?? []).join(' ')}`);
    expect(unknown).toEqual([]);
  });

  it('has JSON that parses, and plugin.json examples that validate', () => {
    for (const block of blocks.filter((entry) => entry.lang === 'json')) {
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(block.body) as Record<string, unknown>;
      } catch (error) {
        throw new Error(`${file}:${block.line}: the JSON block does not parse: ${(error as Error).message}`);
      }
      if ('api_version' in value) {
        const result = safeParseManifest(value);
        expect([block.line, result.success ? 'valid' : result.error.message]).toEqual([block.line, 'valid']);
      }
    }
  });

  if (mine.length > 0) {
    it('has TypeScript and JavaScript that compile', () => {
      const errors = mine.flatMap((program) => compiled.errors.get(program.where) ?? []);
      const tsc = [...compiled.errors].filter(([where]) => where.startsWith('tsc ')).map(([, line]) => line);
      expect([...tsc, ...errors]).toEqual([]);
    });

    const runnable = mine.filter((program) => !(program.block.flags ?? []).includes('no-run'));
    if (runnable.length > 0)
      it('runs its TypeScript and JavaScript (exit 0)', () => {
        for (const program of runnable) {
          if (compiled.errors.has(program.where)) throw new Error(`${program.where} does not compile`);
          // The console sessions' folder and environment (HOME and MARATHON_HOME inside it).
          const { cwd: dir, env } = newSession('marathon-readme-program-');
          try {
            mkdirSync(env.MARATHON_HOME!, { mode: 0o700 });
            cpSync(helloWorld, join(dir, 'hello-world'), { recursive: true });
            const failure = runProgram(compiled.output.get(program.where)!, dir, env);
            if (failure !== undefined) throw new Error(`${program.where}: the block ${failure}`);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }
      });
  }

  const consoles = blocks.filter((block) => block.lang === 'console');
  if (consoles.length > 0)
    it('runs its console sessions as written', () => {
      const session = newSession('marathon-readme-');
      const root = session.cwd;
      try {
        for (const block of consoles) runConsoleBlock(file, block, session);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
});
