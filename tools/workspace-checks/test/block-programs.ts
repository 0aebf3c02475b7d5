// Compiles TypeScript and JavaScript code blocks of Markdown files as programs against the built
// workspace packages, and runs them with node. All blocks of a check are compiled by one tsc
// run (starting tsc costs seconds), each as its own module; errors are told back per block.
//
// The programs are ES modules (`"type": "module"`, nodenext resolution): written in a folder
// inside the workspace, so `@marathon/*` and the other packages resolve from the workspace root's
// node_modules exactly as they would from a reader's project. A block that calls `definePlugin`
// is plugin code: it is compiled as the sandbox sees it (no Node types).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CodeBlock } from './doc-blocks';
import { workspaceRoot } from './workspace';

export interface BlockProgram {
  /** Where the block is, for messages: `packages/x/README.md:12`. */
  where: string;
  block: CodeBlock;
}

export interface CompiledPrograms {
  /** tsc's errors for each program, by `where` (absent: it compiled). */
  errors: Map<string, string>;
  /** The emitted module of each program, by `where`. */
  output: Map<string, string>;
  remove(): void;
}

const isPlugin = (block: CodeBlock) => block.body.includes('definePlugin');

function project(dir: string, name: string, plugin: boolean, files: string[]): string {
  const compilerOptions = {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    lib: ['es2022'],
    types: plugin ? [] : ['node'],
    strict: true,
    allowJs: true,
    checkJs: true,
    skipLibCheck: true,
    outDir: 'out',
    rootDir: '.',
  };
  const file = join(dir, `tsconfig.${name}.json`);
  writeFileSync(file, JSON.stringify({ compilerOptions, files }));
  return file;
}

/** Compiles every program (a tsc run for plugin code, one for the rest) into a temporary folder. */
export function compilePrograms(programs: readonly BlockProgram[]): CompiledPrograms {
  const dir = mkdtempSync(join(workspaceRoot, 'tools', 'workspace-checks', '.block-programs-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  const sources = new Map<string, BlockProgram>();
  const output = new Map<string, string>();
  programs.forEach((program, index) => {
    const source = `block-${index}.${program.block.lang === 'js' ? 'mjs' : 'mts'}`;
    writeFileSync(join(dir, source), program.block.body);
    sources.set(source, program);
    output.set(program.where, join(dir, 'out', source.replace(/\.mts$/, '.mjs')));
  });
  const errors = new Map<string, string>();
  for (const plugin of [true, false]) {
    let files = [...sources].filter(([, program]) => isPlugin(program.block) === plugin).map(([source]) => source);
    // tsc reports no type errors at all while any file has a syntax error (TS1xxx): compile again
    // without the files that have one, so that one broken block cannot hide the others' errors.
    while (files.length > 0) {
      const config = project(dir, plugin ? 'plugin' : 'node', plugin, files);
      const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', config, '--pretty', 'false'], {
        cwd: dir,
        encoding: 'utf8',
      });
      const unparsed = new Set<string>();
      // tsc prints `block-3.mts(4,7): error TS2345: …`, each error on its own line.
      for (const line of `${tsc.stdout}${tsc.stderr}`.split('\n')) {
        const source = /^(block-\d+\.m[jt]s)\(/.exec(line)?.[1];
        const program = source === undefined ? undefined : sources.get(source);
        if (program === undefined) {
          if (line.trim() !== '' && !line.startsWith(' ')) errors.set(`tsc (${relative(workspaceRoot, config)})`, line);
          continue;
        }
        if (/: error TS1\d{3}:/.test(line)) unparsed.add(source!);
        errors.set(program.where, `${errors.get(program.where) ?? ''}${line.replace(/^block-\d+\.m[jt]s/, program.where)}\n`);
      }
      files = unparsed.size === 0 ? [] : files.filter((file) => !unparsed.has(file));
    }
  }
  return { errors, output, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs an emitted program with node in `cwd`; what it printed, when it did not exit 0. */
export function runProgram(file: string, cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  const run = spawnSync(process.execPath, [file], { cwd, env, encoding: 'utf8', timeout: 120_000 });
  if (run.status === 0) return undefined;
  return `exited ${run.status}${run.signal === null ? '' : ` (${run.signal})`}:\n${run.stdout}${run.stderr}${run.error?.message ?? ''}`;
}
