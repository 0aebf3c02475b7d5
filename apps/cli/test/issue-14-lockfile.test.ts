// Issue 14 (1, 10) through the binary: a lockfile whose plugin key was a git URL made `plugin sync`
// hand it to pacote, which cloned the repository and ran its lifecycle scripts as the operator, with
// no prompt. Lockfile names are package names now, checked before anything is fetched.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

const entry = (name: string) => ({
  version: '1.0.0',
  source: { kind: 'npm', spec: `${name}@1.0.0` },
  integrity: `sha512-${Buffer.alloc(64).toString('base64')}`,
  enabled: true,
  permissions: [],
});

/** A git repository whose scripts would write `marker` if anything ran them. */
function hostileRepository(marker: string): string {
  const repo = join(ws.root, 'repo');
  mkdirSync(repo);
  const script = `node -e "require('fs').writeFileSync('${marker}', 'ran')"`;
  writeFileSync(
    join(repo, 'package.json'),
    JSON.stringify({ name: 'x', version: '1.0.0', scripts: { prepare: script, postinstall: script, preinstall: script } }),
  );
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: repo,
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
    });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'x');
  git('branch', 'x@1.0.0');
  return repo;
}

test('a git URL as a lockfile plugin name is refused before anything is fetched or run', async () => {
  const marker = join(ws.root, 'scripts-ran');
  const repo = hostileRepository(marker);
  const file = join(ws.root, 'fleet.lock.json');
  const name = `git+file://${repo}`;
  writeFileSync(file, JSON.stringify({ lockfileVersion: 1, plugins: { [name]: entry(name) } }));
  const outcome = await ws.run(['plugin', 'sync', file, '--json']);
  expect(outcome.code).toBe(1);
  const { error } = JSON.parse(outcome.stdout) as { error: { code: string; details: string[] } };
  expect(error.code).toBe('LOCKFILE_INVALID');
  expect(error.details[0]).toContain(`plugins[${JSON.stringify(name)}]: `);
  expect(error.details[0]).toContain('is not a valid package name');
  expect(existsSync(marker)).toBe(false);
  expect(existsSync(join(ws.home, 'installed')) ? readdirSync(join(ws.home, 'installed')) : []).toEqual([]);
});

test('a key given twice, Object.prototype keys and a huge lockfile are refused with what is wrong', async () => {
  const file = join(ws.root, 'twice.lock.json');
  writeFileSync(
    file,
    `{"lockfileVersion":1,"plugins":{"notes":${JSON.stringify(entry('notes'))},"notes":${JSON.stringify(entry('notes'))}}}`,
  );
  const twice = await ws.run(['plugin', 'sync', file]);
  expect(twice.code).toBe(1);
  expect(twice.stderr).toContain('key plugins.notes appears twice; keep one');

  writeFileSync(file, JSON.stringify({ lockfileVersion: 1, plugins: { ['__proto__']: entry('x'), toString: entry('x') } }));
  const proto = await ws.run(['plugin', 'sync', file]);
  expect(proto.code).toBe(1);
  expect(proto.stderr).not.toMatch(/TypeError|installed successfully/);
  expect(proto.stderr).toContain('plugins["toString"]');

  writeFileSync(file, `{"lockfileVersion":1,"plugins":{},"padding":"${'x'.repeat(5 * 1024 * 1024)}"}`);
  const huge = await ws.run(['plugin', 'sync', file]);
  expect(huge.code).toBe(1);
  expect(huge.stderr).toContain('is larger than 4194304 bytes');
});
