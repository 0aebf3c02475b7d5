// The files of a new plugin project (`marathon plugin new`): a manifest with $schema, TypeScript
// source with a handler for each chosen hook and a `hello` command, a build that writes the
// installable folder (dist/: plugin.json, index.js, README.md — no TypeScript, which the install
// policy refuses), and a test that loads dist/ in the real sandbox with @marathon/plugin-testing.
// The build bundles: the sandbox resolves no packages (only files of the plugin's folder and
// @marathon/plugin-api), so esbuild writes src/ and every npm package it imports into one
// dist/index.js — also the one file that is hashed, signed and scanned. tsc only type-checks.
import { HOOK_DESCRIPTIONS, VETO_HOOK_TYPES, type HookType, type Permission } from '@marathon/plugin-api';

export interface TemplateOptions {
  name: string;
  hooks: HookType[];
  permissions: Permission[];
  /** Version ranges of the packages the project depends on. */
  versions: { pluginApi: string; pluginTesting: string; manifest: string; typescript: string; esbuild: string };
}

/** Scope blocks the manifest needs for some permissions: placeholders the author edits. */
function scopes(permissions: readonly Permission[]): Record<string, unknown> {
  return {
    ...(permissions.includes('network') ? { network: { allowed_hosts: ['api.example.com'] } } : {}),
    ...(permissions.includes('env_vars') ? { env_vars: { allowed: ['MY_PLUGIN_TOKEN'] } } : {}),
    ...(permissions.includes('exec') ? { exec: { allowed_commands: ['git'] } } : {}),
  };
}

function manifest(options: TemplateOptions): string {
  const json = {
    $schema: './node_modules/@marathon/manifest/plugin.schema.json',
    name: options.name,
    version: '0.1.0',
    description: `The ${options.name} Marathon plugin`,
    api_version: '1.0.0',
    permissions: options.permissions,
    hooks: options.hooks,
    commands: [{ name: 'hello', description: 'Say hello', usage: '[name]' }],
    ...scopes(options.permissions),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function handler(hook: HookType): string {
  const what = HOOK_DESCRIPTIONS[hook].toLowerCase();
  if (VETO_HOOK_TYPES.includes(hook)) {
    return `    // ${what}: return failure('why') to refuse the operation.\n    ${hook}: async (ctx, event) => success(),`;
  }
  return `    // ${what}.\n    ${hook}: async (ctx, event) => {\n      ctx.log.info('${hook}');\n      return success();\n    },`;
}

function source(options: TemplateOptions): string {
  const hooks = options.hooks.length === 0 ? '' : `  hooks: {\n${options.hooks.map(handler).join('\n')}\n  },\n`;
  return `import { definePlugin, success } from '@marathon/plugin-api';

export default definePlugin({
${hooks}  commands: {
    hello: (ctx, args) => \`Hello, \${args[0] ?? 'World'}! Greetings from ${options.name}.\`,
  },
});
`;
}

function test(options: TemplateOptions): string {
  return `// Loads the built plugin (dist/) in the real Marathon sandbox. Run: npm test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadPlugin } from '@marathon/plugin-testing';

const dist = fileURLToPath(new URL('../dist', import.meta.url));

test('hello greets', async () => {
  const plugin = await loadPlugin(dist);
  try {
    assert.equal(await plugin.command('hello', ['Ada']), 'Hello, Ada! Greetings from ${options.name}.');
  } finally {
    await plugin.close();
  }
});
`;
}

const BUILD_SCRIPT = `// Writes the installable plugin folder, dist/: index.js, plugin.json, README.md and a package.json
// (so that \`npm pack ./dist\` or npm publish ./dist ships exactly this folder).
// index.js is src/index.ts bundled by esbuild with every npm package it imports, as one ES module:
// the sandbox has no node_modules and resolves no packages, and this one file is what is hashed,
// signed and scanned at install. Only @marathon/plugin-api stays an import: the host provides it.
// \`node scripts/build.mjs --watch\` rebuilds on every change (beside \`marathon plugin dev ./dist\`).
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';

const options = {
  entryPoints: ['src/index.ts'],
  outfile: 'dist/index.js',
  bundle: true,
  format: 'esm',
  // No Node built-ins in the sandbox: importing one fails here, at build time, not at load.
  platform: 'neutral',
  mainFields: ['module', 'main'],
  target: 'es2022',
  external: ['@marathon/plugin-api'],
  logLevel: 'warning',
};

mkdirSync('dist', { recursive: true });
// A signature covers the files it was made for; this build rewrites them, so a SIGNATURE.json from
// an earlier \`marathon plugin sign\` would only make install refuse. Sign again after building.
if (existsSync('dist/SIGNATURE.json')) {
  rmSync('dist/SIGNATURE.json');
  console.warn('removed dist/SIGNATURE.json: it signed the previous build; sign this one again (marathon plugin sign ./dist --key …)');
}
for (const file of ['plugin.json', 'README.md']) copyFileSync(file, \`dist/\${file}\`);
const { name, version, description } = JSON.parse(readFileSync('plugin.json', 'utf8'));
const pkg = { name, version, description, type: 'module', keywords: ['marathon-plugin'] };
writeFileSync('dist/package.json', \`\${JSON.stringify(pkg, null, 2)}\\n\`);

if (process.argv.includes('--watch')) {
  const context = await esbuild.context(options);
  await context.watch();
  console.log('watching src/ (Ctrl-C to stop)');
} else {
  try {
    await esbuild.build(options);
  } catch {
    // esbuild printed what failed; its advice to build for Node does not apply here.
    console.error('dist/index.js runs in the Marathon sandbox, which has no Node built-ins (node:fs, …):');
    console.error('reach files, the network, variables and commands through ctx (ctx.fs, ctx.net, ctx.env, ctx.exec).');
    process.exitCode = 1;
  }
}
`;

function packageJson(options: TemplateOptions): string {
  const json = {
    name: options.name,
    version: '0.1.0',
    private: true,
    type: 'module',
    description: `The ${options.name} Marathon plugin`,
    scripts: {
      build: 'tsc -p tsconfig.json && node scripts/build.mjs',
      watch: 'node scripts/build.mjs --watch',
      test: 'npm run build && node --test test/',
    },
    devDependencies: {
      '@marathon/manifest': options.versions.manifest,
      '@marathon/plugin-api': options.versions.pluginApi,
      '@marathon/plugin-testing': options.versions.pluginTesting,
      esbuild: options.versions.esbuild,
      typescript: options.versions.typescript,
    },
    // esbuild's postinstall only checks for (or downloads) its binary, which npm already installs as
    // an optional dependency: denied, and npm stops asking about it.
    allowScripts: { esbuild: false },
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

// Type-checking only (esbuild writes dist/), resolving imports the way the bundler does.
const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      module: 'es2022',
      moduleResolution: 'bundler',
      target: 'es2022',
      lib: ['es2022'],
      // The sandbox's standard globals (console, URL, setTimeout, …) and nothing of Node's.
      types: ['@marathon/plugin-api/globals'],
      strict: true,
      noEmit: true,
      isolatedModules: true,
      skipLibCheck: true,
    },
    include: ['src/**/*.ts'],
  },
  null,
  2,
)}\n`;

function readme(options: TemplateOptions): string {
  return `# ${options.name}

A Marathon plugin.

- \`npm install\`, then \`npm test\`: builds \`dist/\` and runs its test in the real sandbox.
- \`npm run build\` type-checks with tsc and bundles \`src/\` with the npm packages it imports into
  \`dist/index.js\` (esbuild): the sandbox loads that one file and resolves no packages.
- \`marathon plugin install ./dist --enable\`: installs it (\`marathon plugin dev ./dist\` reloads on
  change; \`npm run watch\` rebuilds beside it).
- \`marathon ${options.name} hello Ada\`: runs its command.

Permissions: ${options.permissions.join(', ') || 'none'}. Hooks: ${options.hooks.join(', ') || 'none'}.
`;
}

/** Relative path → contents. */
export function pluginProjectFiles(options: TemplateOptions): Record<string, string> {
  return {
    'plugin.json': manifest(options),
    'src/index.ts': source(options),
    'test/plugin.test.mjs': test(options),
    'scripts/build.mjs': BUILD_SCRIPT,
    'package.json': packageJson(options),
    'tsconfig.json': TSCONFIG,
    'README.md': readme(options),
    // keys/ is where the guide's `marathon keys generate --out keys` puts the private signing key.
    '.gitignore': 'node_modules/\ndist/\nkeys/\n',
  };
}
