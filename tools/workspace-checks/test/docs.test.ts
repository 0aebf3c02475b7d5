// Every code block in docs/ works: JSON parses (and plugin.json examples validate), TypeScript
// compiles, and `console` sessions run, command by command, against the real marathon binary in
// a throwaway MARATHON_HOME, printing what the doc says they print. Blocks with `file=<path>`
// are written to that file of the session before the commands after them run. A session that runs
// npm gets the real npm and a real registry on 127.0.0.1 (doc-registry.ts), nothing else.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { safeParseManifest } from '@marathon/manifest';
import { codeBlocks, shellWords, type CodeBlock } from './doc-blocks';
import { newSession, runConsoleBlock } from './console-session';
import { installsPackages, namedInstalls, scaffoldNeeds, startDocRegistry, type DocRegistry } from './doc-registry';
import { marathonBin, workspaceRoot } from './workspace';

const docsDir = join(workspaceRoot, 'docs');
// benchmarks.md records runs; cli-commands.md is generated and checked against the commands.
const RECORDS = new Set(['benchmarks.md', 'cli-commands.md']);
const docs = readdirSync(docsDir).filter((file) => file.endsWith('.md') && !RECORDS.has(file));
const KNOWN = new Set(['console', 'json', 'ts', 'js', 'text']);

function typecheck(doc: string, block: CodeBlock): void {
  const dir = mkdtempSync(join(workspaceRoot, 'tools', 'workspace-checks', '.doc-ts-'));
  try {
    writeFileSync(join(dir, 'block.ts'), block.body);
    const plugin = block.body.includes('definePlugin');
    const compilerOptions = plugin
      ? {
          module: 'es2022',
          moduleResolution: 'bundler',
          target: 'es2022',
          lib: ['es2022'],
          types: [],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
        }
      : {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          types: ['node'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
        };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['block.ts'] }));
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`${doc}:${block.line}: the TypeScript block does not compile:\n${tsc.stdout}${tsc.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(docs)('docs/%s', (doc) => {
  const blocks = codeBlocks(readFileSync(join(docsDir, doc), 'utf8'));

  it('says what each code block is', () => {
    const unknown = blocks.filter((block) => !KNOWN.has(block.lang)).map((block) => `line ${block.line}: \`\`\`${block.lang}`);
    expect(unknown).toEqual([]);
  });

  it('has JSON that parses, and plugin.json examples that validate', () => {
    for (const block of blocks.filter((entry) => entry.lang === 'json')) {
      const value = JSON.parse(block.body) as Record<string, unknown>;
      if ('api_version' in value) {
        const result = safeParseManifest(value);
        expect([block.line, result.success ? 'valid' : result.error.message]).toEqual([block.line, 'valid']);
      }
    }
  });

  it('has TypeScript that compiles', () => {
    for (const block of blocks.filter((entry) => entry.lang === 'ts' && entry.file === undefined)) typecheck(doc, block);
  });

  const sessionBlocks = blocks.filter((block) => block.lang === 'console' || block.file !== undefined);
  const commands = sessionBlocks
    .filter((block) => block.lang === 'console')
    .flatMap((block) =>
      block.body
        .split('\n')
        .filter((line) => line.startsWith('$ '))
        .map((line) => shellWords(line.slice(2))),
    );
  // Only docs with sessions get this test: the others have nothing to run. Publishing to the
  // registry and installing from it take a while: the timeout is the test's, not the preset's.
  if (sessionBlocks.length > 0)
    it('runs its console sessions as written', async () => {
      const session = newSession('marathon-docs-');
      const root = session.cwd;
      let registry: DocRegistry | undefined;
      try {
        if (installsPackages(commands)) {
          const scaffolds = commands.some(([command, topic, verb]) => command === 'marathon' && topic === 'plugin' && verb === 'new');
          registry = await startDocRegistry([...(scaffolds ? scaffoldNeeds(marathonBin) : []), ...namedInstalls(commands)], root);
          session.env = { ...session.env, ...registry.env };
        }
        for (const block of sessionBlocks) {
          if (block.file !== undefined) {
            mkdirSync(dirname(join(session.cwd, block.file)), { recursive: true });
            writeFileSync(join(session.cwd, block.file), block.body);
          } else runConsoleBlock(doc, block, session);
        }
      } finally {
        await registry?.registry.stop();
        rmSync(root, { recursive: true, force: true });
      }
    }, 600_000);
});
