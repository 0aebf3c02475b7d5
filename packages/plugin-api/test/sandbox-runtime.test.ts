import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import ts from 'typescript';
import * as api from '@marathon/plugin-api';

// The build ships src/runtime.ts (and its self-contained siblings) as the sandbox's '@marathon/plugin-api' module; these tests pin what
// the sandbox depends on, using the same transpile step as the build.
const { readRuntimeSource, transpileRuntime, findImports } = require('../scripts/transpile-runtime.cjs') as {
  readRuntimeSource: (packageRoot: string) => string;
  transpileRuntime: (tsModule: typeof ts, source: string) => string;
  findImports: (code: string) => string[];
};

const source = readRuntimeSource(join(__dirname, '..'));
const esm = transpileRuntime(ts, source);

const runtimeValueNames = Object.keys(api).sort();

describe('the sandbox runtime module', () => {
  it('imports nothing once types are erased', () => {
    expect(findImports(esm)).toEqual([]);
  });

  it('notices an import if one creeps in', () => {
    expect(findImports(`import { x } from './other';\nexport const y = x;`)).toEqual(['./other']);
    expect(findImports(`const fs = require('fs');`)).toEqual(['fs']);
    expect(findImports(`await import('node:fs');`)).toEqual(['node:fs']);
  });

  it('is a valid ES module exporting every runtime value of the package', () => {
    const probe = `${esm}\nconsole.log(JSON.stringify(Object.keys({ ${runtimeValueNames.join(', ')} }).sort()));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(runtimeValueNames);
  });

  it('runs in a context with no host globals (no process, require, timers)', () => {
    const cjs = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const sandbox = createContext({ exports: {} });
    runInContext(cjs, sandbox);
    const exported = (sandbox as { exports: Record<string, unknown> }).exports;
    expect(Object.keys(exported).sort()).toEqual(runtimeValueNames);
    const result = runInContext(
      `const p = exports.definePlugin({ commands: { hello: () => 'hi' } });
       JSON.stringify([p.commands.hello(), exports.success('ok'), exports.isVetoHook('user_auth')]);`,
      sandbox,
    ) as string;
    expect(JSON.parse(result)).toEqual(['hi', { success: true, continue_chain: true, message: 'ok' }, true]);
  });
});
