// `marathon plugin new`: the project it writes builds, passes its own test in the real sandbox,
// and installs — and bad names or folders are refused without writing anything.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

// The repository's node_modules stand in for `npm install` here: they hold the same @marathon
// packages, TypeScript and esbuild the generated package.json asks for. The real `npm install` of a
// scaffold, from a registry the workspace's packages are published to by changesets, is the docs
// test's (docs/plugin-development.md, tools/workspace-checks/test/docs.test.ts): publishing takes
// most of a minute, once is enough.
const repoModules = resolve(__dirname, '..', '..', '..', 'node_modules');
const versionOf = (pkg: string): string =>
  (JSON.parse(readFileSync(join(repoModules, pkg, 'package.json'), 'utf8')) as { version: string }).version;

/** A project made by `marathon plugin new <name>` with `source` as its src/index.ts, built. */
async function builtProject(name: string, source: string): Promise<string> {
  await ws.prepare(['plugin', 'new', name]);
  const folder = join(ws.root, name);
  writeFileSync(join(folder, 'src', 'index.ts'), source);
  symlinkSync(repoModules, join(folder, 'node_modules'));
  const build = spawnSync('npm', ['run', 'build'], {
    cwd: folder,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  expect(`${build.stdout}${build.stderr}`).not.toMatch(/error/i);
  expect(build.status).toBe(0);
  return folder;
}

test('creates a project that builds, passes its own test and installs', async () => {
  const created = await ws.ok([
    'plugin',
    'new',
    'build-notifier',
    '--hooks',
    'pre_task_submit,post_task_execute',
    '--permissions',
    'task_read,network',
  ]);
  expect(created.stdout).toContain("✅ Created plugin 'build-notifier' in build-notifier");
  const folder = join(ws.root, 'build-notifier');
  expect(readdirSync(folder).sort()).toEqual([
    '.gitignore',
    'README.md',
    'package.json',
    'plugin.json',
    'scripts',
    'src',
    'test',
    'tsconfig.json',
  ]);
  const manifest = JSON.parse(readFileSync(join(folder, 'plugin.json'), 'utf8'));
  expect(manifest).toMatchObject({
    $schema: './node_modules/@marathon/manifest/plugin.schema.json',
    name: 'build-notifier',
    permissions: ['task_read', 'network'],
    hooks: ['pre_task_submit', 'post_task_execute'],
    network: { allowed_hosts: ['api.example.com'] },
  });

  // It asks for the @marathon packages the CLI ships with (the docs test installs esbuild and
  // TypeScript from a registry serving only this workspace's: its ranges must hold those).
  const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  expect(pkg.devDependencies).toEqual({
    '@marathon/manifest': `^${versionOf('@marathon/manifest')}`,
    '@marathon/plugin-api': `^${versionOf('@marathon/plugin-api')}`,
    '@marathon/plugin-testing': `^${versionOf('@marathon/plugin-testing')}`,
    esbuild: expect.stringMatching(/^\^/),
    typescript: expect.stringMatching(/^\^/),
  });
  expect(readFileSync(join(folder, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['node_modules/', 'dist/', 'keys/']));

  symlinkSync(repoModules, join(folder, 'node_modules'));
  const npmTest = spawnSync('npm', ['test'], {
    cwd: folder,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  expect(`${npmTest.stdout}${npmTest.stderr}`).toMatch(/# pass 1/);
  expect(npmTest.status).toBe(0);
  expect(readdirSync(join(folder, 'dist')).sort()).toEqual(['README.md', 'index.js', 'package.json', 'plugin.json']);

  await ws.ok(['plugin', 'install', join(folder, 'dist'), '--yes', '--enable']);
  expect((await ws.ok(['build-notifier', 'hello', 'Ada'])).stdout).toBe('Hello, Ada! Greetings from build-notifier.\n');
  await ws.prepare(['task', 'run', '--', process.execPath, '-e', '']);
  const events = JSON.parse((await ws.ok(['plugin', 'events', '--plugin', 'build-notifier', '--json'])).stdout).events;
  expect(events.map((event: { hook_type: string; success: boolean }) => [event.hook_type, event.success])).toEqual([
    ['pre_task_submit', true],
    ['post_task_execute', true],
  ]);
});

test('bundles the npm packages a plugin imports into dist/index.js, which installs and runs', async () => {
  const folder = await builtProject(
    'did-you-mean',
    `import { definePlugin } from '@marathon/plugin-api';
import { closest } from 'fastest-levenshtein';

export default definePlugin({
  commands: { hello: (ctx, args) => \`Did you mean \${closest(args[0] ?? '', ['build', 'deploy'])}?\` },
});
`,
  );
  // One ES module: the package's code is inside, and the only import left is the one the host provides.
  const bundle = readFileSync(join(folder, 'dist', 'index.js'), 'utf8');
  expect([...bundle.matchAll(/^import .* from ["'](.+)["'];?$/gm)].map((match) => match[1])).toEqual(['@marathon/plugin-api']);
  expect(bundle).toContain('node_modules/fastest-levenshtein');
  expect(readdirSync(join(folder, 'dist')).sort()).toEqual(['README.md', 'index.js', 'package.json', 'plugin.json']);

  await ws.prepare(['plugin', 'install', join(folder, 'dist'), '--yes', '--enable']);
  expect((await ws.ok(['did-you-mean', 'hello', 'biuld'])).stdout).toBe('Did you mean build?\n');
});

test("the project type-checks against the sandbox's globals, and a rebuild drops a stale signature", async () => {
  // console, URL and TextEncoder exist in the sandbox; tsc (types: [] of Node) must know them too.
  const folder = await builtProject(
    'uses-globals',
    `import { definePlugin } from '@marathon/plugin-api';

export default definePlugin({
  commands: {
    hello: (ctx, args) => {
      console.info('hello called');
      const url = new URL(args[0] ?? 'https://example.com/a?b=1');
      return \`\${url.hostname} \${new TextEncoder().encode(url.search).length}\`;
    },
  },
});
`,
  );
  const env = { ...process.env, npm_config_update_notifier: 'false' };

  await ws.prepare(['keys', 'generate', '--out', join(folder, 'keys'), '--name', 'me']);
  const keyFile = readdirSync(join(folder, 'keys')).find((file) => file.endsWith('.key'))!;
  await ws.prepare(['plugin', 'sign', join(folder, 'dist'), '--key', join(folder, 'keys', keyFile)]);
  expect(existsSync(join(folder, 'dist', 'SIGNATURE.json'))).toBe(true);
  const rebuild = spawnSync('npm', ['run', 'build'], { cwd: folder, encoding: 'utf8', env });
  expect(rebuild.status).toBe(0);
  expect(rebuild.stderr).toContain('removed dist/SIGNATURE.json');
  expect(existsSync(join(folder, 'dist', 'SIGNATURE.json'))).toBe(false);

  await ws.prepare(['plugin', 'install', join(folder, 'dist'), '--yes', '--enable']);
  expect((await ws.ok(['uses-globals', 'hello', 'https://hooks.example.com/x?y=2'])).stdout).toBe('hooks.example.com 4\n');
});

test('a Node built-in in the plugin fails the build, not the load', async () => {
  await ws.prepare(['plugin', 'new', 'reads-files']);
  const folder = join(ws.root, 'reads-files');
  writeFileSync(
    join(folder, 'src', 'index.ts'),
    `import { readFileSync } from 'node:fs';\nimport { definePlugin } from '@marathon/plugin-api';\n\nexport ` +
      `default definePlugin({ commands: { hello: () => String(readFileSync) } });\n`,
  );
  symlinkSync(repoModules, join(folder, 'node_modules'));
  const build = spawnSync('node', ['scripts/build.mjs'], { cwd: folder, encoding: 'utf8' });
  expect(build.status).toBe(1);
  expect(build.stderr).toContain('Could not resolve "node:fs"');
  expect(build.stderr).toContain('the Marathon sandbox, which has no Node built-ins');
  expect(existsSync(join(folder, 'dist', 'index.js'))).toBe(false);
});

test('refuses bad names, reserved names and folders in use, writing nothing', async () => {
  const bad = await ws.run(['plugin', 'new', 'Bad Name', '--json']);
  expect(bad.code).toBe(1);
  expect(JSON.parse(bad.stdout).error).toMatchObject({ code: 'NAME_INVALID' });
  const reserved = await ws.run(['plugin', 'new', 'task']);
  expect(reserved.code).toBe(1);
  expect(reserved.stderr).toContain("'task' names one of marathon's own commands");
  mkdirSync(join(ws.root, 'taken'));
  writeFileSync(join(ws.root, 'taken', 'keep.txt'), 'mine');
  const taken = await ws.run(['plugin', 'new', 'taken']);
  expect(taken.code).toBe(1);
  expect(taken.stderr).toContain('already exists and is not empty');
  expect(readdirSync(join(ws.root, 'taken'))).toEqual(['keep.txt']);
  expect(existsSync(join(ws.root, 'Bad Name'))).toBe(false);
  expect(existsSync(join(ws.root, 'task'))).toBe(false);
  const hook = await ws.run(['plugin', 'new', 'x', '--hooks', 'post_task_exec']);
  expect(hook.code).toBe(2);
  expect(hook.stderr).toContain('post_task_execute');
});
