// The files of a new plugin project (`marathon plugin new`): a manifest with $schema, TypeScript
// source with a handler for each chosen hook and a `hello` command, a build that writes the
// installable folder (dist/: plugin.json, index.js, README.md — no TypeScript, which the install
// policy refuses), and a test that loads dist/ in the real sandbox with @marathon/plugin-testing.
import { HOOK_DESCRIPTIONS, VETO_HOOK_TYPES, type HookType, type Permission } from '@marathon/plugin-api';

export interface TemplateOptions {
  name: string;
  hooks: HookType[];
  permissions: Permission[];
  /** Version ranges of the packages the project depends on. */
  versions: { pluginApi: string; pluginTesting: string; manifest: string; typescript: string };
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

const BUILD_SCRIPT = `// Writes the installable plugin folder: tsc put index.js in dist/; plugin.json and README.md join
// it, with a package.json so that \`npm pack ./dist\` (or npm publish ./dist) ships exactly this folder.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';

for (const file of ['plugin.json', 'README.md']) copyFileSync(file, \`dist/\${file}\`);
const { name, version, description } = JSON.parse(readFileSync('plugin.json', 'utf8'));
const pkg = { name, version, description, type: 'module', keywords: ['marathon-plugin'] };
writeFileSync('dist/package.json', \`\${JSON.stringify(pkg, null, 2)}\\n\`);
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
      test: 'npm run build && node --test test/',
    },
    devDependencies: {
      '@marathon/manifest': options.versions.manifest,
      '@marathon/plugin-api': options.versions.pluginApi,
      '@marathon/plugin-testing': options.versions.pluginTesting,
      typescript: options.versions.typescript,
    },
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      module: 'es2022',
      moduleResolution: 'bundler',
      target: 'es2022',
      lib: ['es2022'],
      types: [],
      strict: true,
      rootDir: 'src',
      outDir: 'dist',
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
- \`marathon plugin install ./dist --enable\`: installs it (\`marathon plugin dev ./dist\` reloads on change).
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
    '.gitignore': 'node_modules/\ndist/\n',
  };
}
