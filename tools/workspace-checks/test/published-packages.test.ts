import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { publishable, workspaceRoot } from './workspace';

// What a user of the published packages gets: the tarball's files, the types their compiler
// resolves, and the modules Node loads, all without this workspace's source condition.

interface PackResult {
  name: string;
  files: Array<{ path: string }>;
}

function packDryRun(): PackResult[] {
  const args = ['pack', '--dry-run', '--json', '--ignore-scripts', ...publishable().flatMap((pkg) => ['-w', pkg.json.name])];
  const run = spawnSync('npm', args, { cwd: workspaceRoot, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`npm pack failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as PackResult[];
}

function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([condition, target]) => (condition === '@marathon/source' ? [] : exportTargets(target)));
}

describe('published tarballs', () => {
  const packs = packDryRun();
  const byName = new Map(packs.map((pack) => [pack.name, new Set(pack.files.map((file) => file.path))]));

  it.each(publishable().map((pkg) => [pkg.json.name, pkg] as const))('%s holds every file its exports name, and no sources or tests', (name, pkg) => {
    const files = byName.get(name);
    expect(files).toBeDefined();
    const wanted = [...exportTargets(pkg.json.exports), pkg.json.main, pkg.json.types, 'README.md', 'package.json']
      .filter((file): file is string => typeof file === 'string')
      .map((file) => file.replace(/^\.\//, ''));
    for (const file of wanted) expect([name, file, files?.has(file)]).toEqual([name, file, true]);
    const stray = [...(files ?? [])].filter((file) => /^(src|test)\//.test(file) || file.endsWith('.tsbuildinfo'));
    expect(stray).toEqual([]);
  });

  it('ships the sandbox runtime and the JSON Schema', () => {
    expect(byName.get('@marathon/plugin-api')?.has('dist/runtime.mjs')).toBe(true);
    expect(byName.get('@marathon/manifest')?.has('plugin.schema.json')).toBe(true);
  });
});

describe('published types', () => {
  it('resolve for CommonJS and ES module consumers without the source condition', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', join(__dirname, 'fixtures', 'consumer', 'tsconfig.json')], {
      cwd: workspaceRoot,
      encoding: 'utf8',
    });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('published modules', () => {
  function node(args: string[]): { out: string; err: string; status: number | null } {
    const run = spawnSync(process.execPath, args, { cwd: workspaceRoot, encoding: 'utf8' });
    return { out: run.stdout.trim(), err: run.stderr.trim(), status: run.status };
  }

  it('load with require() from dist', () => {
    const run = node(['-e', `
      const api = require('@marathon/plugin-api');
      const manifest = require('@marathon/manifest');
      if (!require.resolve('@marathon/manifest').endsWith('dist/index.js')) throw new Error('not dist');
      console.log(JSON.stringify([api.PERMISSIONS.length, typeof manifest.parseManifest]));`]);
    expect(run.err).toBe('');
    expect(JSON.parse(run.out)).toEqual([7, 'function']);
  });

  it('load with import, named exports included', () => {
    const run = node(['--input-type=module', '-e', `
      import { HOOK_TYPES, definePlugin } from '@marathon/plugin-api';
      import { parseManifest, HOST_API_VERSION } from '@marathon/manifest';
      const m = parseManifest({ name: 'x', version: '1.0.0', api_version: HOST_API_VERSION });
      console.log(JSON.stringify([HOOK_TYPES.length, typeof definePlugin, m.main]));`]);
    expect(run.err).toBe('');
    expect(JSON.parse(run.out)).toEqual([10, 'function', 'index.js']);
  });

  it('give the sandbox runtime as a self-contained ES module', () => {
    const run = node(['--input-type=module', '-e', `
      const runtime = await import('@marathon/plugin-api/runtime.mjs');
      console.log(JSON.stringify([runtime.success('ok'), runtime.API_VERSION]));`]);
    expect(run.err).toBe('');
    expect(JSON.parse(run.out)).toEqual([{ success: true, continue_chain: true, message: 'ok' }, '1.0.0']);
  });
});
