import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { publishable, workspaceRoot } from './workspace';

// What a user of the published packages gets: the tarball's files, the types their compiler
// resolves, and the modules Node loads, all without this workspace's source condition — and what
// publint and arethetypeswrong find in the very tarballs `npm pack` makes.

interface PackResult {
  name: string;
  filename: string;
  files: Array<{ path: string }>;
}

interface SourceMap {
  sources: string[];
  sourceRoot?: string;
  sourcesContent?: Array<string | null>;
}

const packDir = mkdtempSync(join(tmpdir(), 'marathon-packs-'));
afterAll(() => rmSync(packDir, { recursive: true, force: true }));

function pack(): PackResult[] {
  const args = [
    'pack',
    '--json',
    '--ignore-scripts',
    '--pack-destination',
    packDir,
    ...publishable().flatMap((pkg) => ['-w', pkg.json.name]),
  ];
  const run = spawnSync('npm', args, { cwd: workspaceRoot, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`npm pack failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as PackResult[];
}

/** Every file the exports map names, under every condition (the workspace's source condition included: a consumer may set it). */
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap((target) => exportTargets(target));
}

/** The sources a .map names that are neither in the tarball nor carried in the map itself. */
function missingSources(mapPath: string, map: SourceMap, files: Set<string>): string[] {
  return map.sources.filter((source, index) => {
    if (typeof map.sourcesContent?.[index] === 'string') return false;
    const shipped = posix.normalize(posix.join(posix.dirname(mapPath), map.sourceRoot ?? '', source));
    return !files.has(shipped);
  });
}

const packs = pack();
const byName = new Map(packs.map((result) => [result.name, new Set(result.files.map((file) => file.path))]));
const tarballOf = (name: string): string => join(packDir, packs.find((result) => result.name === name)!.filename);
const publishedPackages = publishable().map((pkg) => [pkg.json.name, pkg] as const);

describe('published tarballs', () => {
  it.each(publishedPackages)('%s holds every file its exports name, under every condition, and no tests', (name, pkg) => {
    const files = byName.get(name);
    expect(files).toBeDefined();
    const wanted = [...exportTargets(pkg.json.exports), pkg.json.main, pkg.json.types, 'README.md', 'package.json']
      .filter((file): file is string => typeof file === 'string')
      .map((file) => file.replace(/^\.\//, ''));
    for (const file of wanted) expect([name, file, files?.has(file)]).toEqual([name, file, true]);
    const stray = [...(files ?? [])].filter(
      (file) => /^test\//.test(file) || /\.test(-d)?\.ts$/.test(file) || file.endsWith('.tsbuildinfo'),
    );
    expect(stray).toEqual([]);
  });

  it.each(publishedPackages)('%s ships source maps whose sources are in the tarball', (name, pkg) => {
    const files = byName.get(name)!;
    const maps = [...files].filter((file) => file.endsWith('.map'));
    const broken = maps.flatMap((mapPath) => {
      const map = JSON.parse(readFileSync(join(pkg.dir, mapPath), 'utf8')) as SourceMap;
      return missingSources(mapPath, map, files).map((source) => `${mapPath} → ${source}`);
    });
    expect(broken).toEqual([]);
  });

  it('ships the sandbox runtime and the JSON Schema', () => {
    expect(byName.get('@marathon/plugin-api')?.has('dist/runtime.mjs')).toBe(true);
    expect(byName.get('@marathon/manifest')?.has('plugin.schema.json')).toBe(true);
  });
});

interface TarballFindings {
  publint: string[];
  attw: { status: number; report: string };
}

// One process runs both tools on every tarball (tarball-lint.mjs): loading attw's TypeScript once
// instead of once per package is most of this file's cost. Run on first use, by the first test.
let findings: { stderr: string; byTarball: Record<string, TarballFindings> } | undefined;
function lintFindings(name: string): { stderr: string; found: TarballFindings | undefined } {
  if (findings === undefined) {
    const script = join(__dirname, 'tarball-lint.mjs');
    const run = spawnSync(process.execPath, [script, ...packs.map((result) => tarballOf(result.name))], {
      cwd: workspaceRoot,
      encoding: 'utf8',
    });
    // A crash with nothing on stderr still fails every test below, saying how it exited.
    const stderr = run.status === 0 || run.stderr !== '' ? run.stderr : `tarball-lint.mjs exited ${run.status} (${run.signal})`;
    findings = { stderr, byTarball: run.status === 0 ? (JSON.parse(run.stdout) as Record<string, TarballFindings>) : {} };
  }
  return { stderr: findings.stderr, found: findings.byTarball[tarballOf(name)] };
}

describe('publint and arethetypeswrong', () => {
  it.each(publishedPackages)('%s: publint finds no error or warning in its tarball', (name) => {
    const { stderr, found } = lintFindings(name);
    expect(stderr).toBe('');
    expect(found?.publint).toEqual([]);
  });

  it.each(publishedPackages)('%s: arethetypeswrong resolves every entry point for Node 16+ and bundlers', (name) => {
    const { stderr, found } = lintFindings(name);
    expect({ status: found?.attw.status, stderr, report: found?.attw.report }).toEqual({
      status: 0,
      stderr: '',
      report: '',
    });
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
    const run = node([
      '-e',
      `
      const api = require('@marathon/plugin-api');
      const manifest = require('@marathon/manifest');
      if (!require.resolve('@marathon/manifest').endsWith('dist/index.js')) throw new Error('not dist');
      console.log(JSON.stringify([api.PERMISSIONS.length, typeof manifest.parseManifest]));`,
    ]);
    expect(run.err).toBe('');
    expect(JSON.parse(run.out)).toEqual([7, 'function']);
  });

  it('load with import, named exports included', () => {
    const run = node([
      '--input-type=module',
      '-e',
      `
      import { HOOK_TYPES, definePlugin } from '@marathon/plugin-api';
      import { parseManifest, HOST_API_VERSION } from '@marathon/manifest';
      const m = parseManifest({ name: 'x', version: '1.0.0', api_version: HOST_API_VERSION });
      console.log(JSON.stringify([HOOK_TYPES.length, typeof definePlugin, m.main]));`,
    ]);
    expect(run.err).toBe('');
    expect(JSON.parse(run.out)).toEqual([10, 'function', 'index.js']);
  });

  it('give the sandbox runtime as a self-contained ES module', () => {
    const run = node([
      '--input-type=module',
      '-e',
      `
      const runtime = await import('@marathon/plugin-api/runtime.mjs');
      console.log(JSON.stringify([runtime.success('ok'), runtime.API_VERSION]));`,
    ]);
    expect(run.err).toBe('');
    expect(JSON.parse(run.out)).toEqual([{ success: true, continue_chain: true, message: 'ok' }, '1.0.0']);
  });
});
