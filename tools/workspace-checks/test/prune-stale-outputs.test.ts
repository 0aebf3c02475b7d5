// The shared build step that removes compiled outputs of deleted sources (scripts/prune-stale-outputs.mjs),
// run as each package's build runs it; and every package that compiles with tsc -b runs it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { workspacePackages, workspaceRoot } from './workspace';

const SCRIPT = join(workspaceRoot, 'scripts', 'prune-stale-outputs.mjs');

function write(root: string, file: string, text = ''): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

describe('prune-stale-outputs', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'prune-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('removes the outputs of sources that are gone, and nothing else', () => {
    write(root, 'tsconfig.lib.json', JSON.stringify({ compilerOptions: { rootDir: 'src', outDir: 'dist' } }));
    for (const file of ['src/kept.ts', 'src/nested/inner.ts', 'src/types.d.ts']) write(root, file);
    const kept = ['kept.js', 'kept.js.map', 'kept.d.ts', 'kept.d.ts.map', 'nested/inner.js', 'types.d.ts', 'schema.json', 'runtime.mjs'];
    const stale = ['renamed.js', 'renamed.js.map', 'renamed.d.ts', 'renamed.d.ts.map', 'nested/deleted.js'];
    for (const file of [...kept, ...stale]) write(root, join('dist', file));

    const run = spawnSync(process.execPath, [SCRIPT, 'tsconfig.lib.json'], { cwd: root, encoding: 'utf8' });

    expect(run.status).toBe(0);
    expect(kept.filter((file) => !existsSync(join(root, 'dist', file)))).toEqual([]);
    expect(stale.filter((file) => existsSync(join(root, 'dist', file)))).toEqual([]);
    expect(run.stdout).toContain('removed dist/renamed.js (its source is gone)');
  });

  test('refuses a tsconfig without rootDir and outDir, deleting nothing', () => {
    write(root, 'tsconfig.lib.json', JSON.stringify({ compilerOptions: {} }));
    write(root, 'dist/orphan.js');
    const run = spawnSync(process.execPath, [SCRIPT, 'tsconfig.lib.json'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('must set compilerOptions.rootDir and outDir');
    expect(existsSync(join(root, 'dist/orphan.js'))).toBe(true);
  });
});

test('every package whose build compiles with tsc -b prunes stale outputs after it', () => {
  const missing = workspacePackages()
    .filter(({ json }) => json.scripts?.build?.includes('tsc -b tsconfig.lib.json') === true)
    .filter(
      ({ json }) =>
        !json.scripts!.build!.includes('tsc -b tsconfig.lib.json && node ../../scripts/prune-stale-outputs.mjs tsconfig.lib.json'),
    )
    .map(({ json }) => json.name);
  expect(missing).toEqual([]);
});
