import { DEFAULT_LIMITS } from '@marathon/plugin-api';
import { ManifestError, parseManifest, safeParseManifest, type ManifestIssue } from '@marathon/manifest';

// The hello-world manifest (docs/design.md, "plugin.json"): the base every case below changes one thing of.
const base = {
  name: 'hello-world',
  version: '1.0.0',
  description: 'A simple hello world plugin',
  author: 'Your Name',
  api_version: '1.0.0',
  permissions: ['task_read'],
  hooks: ['post_task_execute'],
  commands: ['hello', { name: 'greet', description: 'Greet someone', usage: '<name>' }],
};

const with_ = (changes: Record<string, unknown>) => ({ ...base, ...changes });
const without = (...keys: string[]) => Object.fromEntries(Object.entries(base).filter(([key]) => !keys.includes(key)));

const HOOKS =
  'pre_task_submit, post_task_submit, pre_task_execute, post_task_execute, user_auth, ' +
  'user_authz, cli_command, config_validate, plugin_install, plugin_uninstall';
const PERMISSIONS = 'task_read, task_write, user_auth, network, filesystem, env_vars, exec';
const ROOT_KEYS =
  '$schema, name, version, description, author, api_version, main, permissions, hooks, commands, dependencies, network, env_vars, exec, limits, configuration';

const valid: Array<[string, unknown]> = [
  ['the hello-world manifest', base],
  ['only the required fields', { name: 'minimal', version: '0.1.0', api_version: '1.0.0' }],
  ['a scoped name', with_({ name: '@acme/audit-log' })],
  ['a prerelease version', with_({ version: '2.0.0-beta.3+build.7' })],
  ['$schema for editors', with_({ $schema: './node_modules/@marathon/manifest/plugin.schema.json' })],
  ['an author object', with_({ author: { name: 'Ada', email: 'ada@example.com', url: 'https://example.com' } })],
  ['main in a subfolder', with_({ main: 'dist/plugin.mjs' })],
  [
    'hooks with priorities',
    with_({
      hooks: [
        { name: 'pre_task_submit', priority: 100 },
        { name: 'user_auth', priority: -5 },
      ],
    }),
  ],
  [
    'priorities at the ends of the author range',
    with_({
      hooks: [
        { name: 'pre_task_submit', priority: 1000 },
        { name: 'user_auth', priority: -1000 },
      ],
    }),
  ],
  [
    'network with its scope',
    with_({ permissions: ['network'], network: { allowed_hosts: ['hooks.example.com', '*.example.org', '127.0.0.1'] } }),
  ],
  ['env_vars with its scope', with_({ permissions: ['env_vars'], env_vars: { allowed: ['SLACK_WEBHOOK_URL', '_X1'] } })],
  ['exec with its scope', with_({ permissions: ['exec'], exec: { allowed_commands: ['git', '/usr/bin/env'] } })],
  ['dependencies with ranges', with_({ dependencies: { 'other-plugin': '^1.2.0', '@acme/base': '>=1.0.0 <3 || 4.x' } })],
  ['limits below the policy', with_({ limits: { max_memory: 33554432, max_cpu_time_ms: 2000 } })],
  ['limits equal to the policy', with_({ limits: { ...DEFAULT_LIMITS } })],
  [
    'every permission with every scope',
    with_({
      permissions: ['task_read', 'task_write', 'user_auth', 'network', 'filesystem', 'env_vars', 'exec'],
      network: { allowed_hosts: ['a.example.com'] },
      env_vars: { allowed: ['A'] },
      exec: { allowed_commands: ['ls'] },
    }),
  ],
];

const invalid: Array<[string, unknown, ManifestIssue[]]> = [
  ['not an object', ['hello-world'], [{ path: '(root)', message: 'plugin.json must hold a JSON object, got an array' }]],
  ['null', null, [{ path: '(root)', message: 'plugin.json must hold a JSON object, got null' }]],
  [
    'an empty object',
    {},
    [
      { path: 'name', message: 'required: add it as a string' },
      { path: 'version', message: 'required: add it as a string' },
      { path: 'api_version', message: 'required: add it as a string' },
    ],
  ],
  [
    'a name with capitals and spaces',
    with_({ name: 'Hello World' }),
    [
      {
        path: 'name',
        message:
          "'Hello World' is not a valid package name: name can only contain URL-friendly characters; name can no longer contain capital letters",
      },
    ],
  ],
  [
    'a name starting with a dot',
    with_({ name: '.hidden' }),
    [{ path: 'name', message: "'.hidden' is not a valid package name: name cannot start with a period" }],
  ],
  ['a name that is a number', with_({ name: 42 }), [{ path: 'name', message: 'expected a string, got an integer' }]],
  [
    'a version with a v',
    with_({ version: 'v1.0.0' }),
    [{ path: 'version', message: "'v1.0.0' is not a semantic version (write it as '1.0.0')" }],
  ],
  [
    'a version that is a range',
    with_({ version: '^1.0.0' }),
    [{ path: 'version', message: "'^1.0.0' is not a semantic version (like 1.0.0)" }],
  ],
  ['a two-part version', with_({ version: '1.0' }), [{ path: 'version', message: "'1.0' is not a semantic version (like 1.0.0)" }]],
  ['api_version missing', without('api_version'), [{ path: 'api_version', message: 'required: add it as a string' }]],
  ['api_version as a number', with_({ api_version: 1 }), [{ path: 'api_version', message: 'expected a string, got an integer' }]],
  [
    'a description that is too long',
    with_({ description: 'x'.repeat(501) }),
    [{ path: 'description', message: 'keep the description under 500 characters' }],
  ],
  [
    'an author object without a name',
    with_({ author: { email: 'a@b.c' } }),
    [{ path: 'author.name', message: 'required: add it as a string' }],
  ],
  [
    'an author of the wrong kind',
    with_({ author: 7 }),
    [{ path: 'author', message: 'expected a name or { "name": …, "email": …, "url": … }, got an integer' }],
  ],
  ['main with ..', with_({ main: '../outside.js' }), [{ path: 'main', message: "'../outside.js' points outside the plugin folder" }]],
  [
    'main hiding .. in the middle',
    with_({ main: 'lib/../../x.js' }),
    [{ path: 'main', message: "'lib/../../x.js' points outside the plugin folder" }],
  ],
  [
    'an absolute main',
    with_({ main: '/etc/passwd.js' }),
    [{ path: 'main', message: "'/etc/passwd.js' must be a path relative to the plugin folder" }],
  ],
  [
    'main that is not JavaScript',
    with_({ main: 'index.ts' }),
    [{ path: 'main', message: "'index.ts' must be an ES module file ending in .js or .mjs" }],
  ],
  ['main with backslashes', with_({ main: 'lib\\index.js' }), [{ path: 'main', message: "'lib\\index.js' must use forward slashes" }]],
  [
    'a misspelt permission',
    with_({ permissions: ['netwrok'], network: { allowed_hosts: ['x.org'] } }),
    [
      { path: 'permissions[0]', message: `unknown permission 'netwrok' (did you mean 'network'?); permissions are ${PERMISSIONS}` },
      {
        path: 'network',
        message: "'network' is set but the 'network' permission is not requested: add 'network' to permissions or remove 'network'",
      },
    ],
  ],
  [
    'an unknown permission',
    with_({ permissions: ['root'] }),
    [{ path: 'permissions[0]', message: `unknown permission 'root'; permissions are ${PERMISSIONS}` }],
  ],
  [
    'a permission listed twice',
    with_({ permissions: ['task_read', 'task_write', 'task_read'] }),
    [{ path: 'permissions[2]', message: "'task_read' is listed twice (first at permissions[0]); list it once" }],
  ],
  ['permissions as a string', with_({ permissions: 'task_read' }), [{ path: 'permissions', message: 'expected a list, got a string' }]],
  [
    'a misspelt hook',
    with_({ hooks: ['post_task_exec'] }),
    [{ path: 'hooks[0]', message: `unknown hook 'post_task_exec' (did you mean 'post_task_execute'?); hooks are ${HOOKS}` }],
  ],
  [
    'a hook object with a bad name and priority',
    with_({ hooks: [{ name: 'on_start', priority: 1.5 }] }),
    [
      { path: 'hooks[0].name', message: `unknown hook 'on_start'; hooks are ${HOOKS}` },
      { path: 'hooks[0].priority', message: 'priority must be a whole number, got a number' },
    ],
  ],
  // Issue 13 (2): a plugin at priority 1000000 ran before everything, whatever the operator wanted.
  [
    'a priority past the author range',
    with_({
      hooks: [
        { name: 'pre_task_submit', priority: 1000000 },
        { name: 'user_auth', priority: -1001 },
      ],
    }),
    [
      { path: 'hooks[0].priority', message: 'priority must be at most 1000 (the operator can set more with marathon plugin priority)' },
      { path: 'hooks[1].priority', message: 'priority must be at least -1000 (the operator can set more with marathon plugin priority)' },
    ],
  ],
  [
    'a hook object with a misspelt key',
    with_({ hooks: [{ name: 'user_auth', prio: 5 }] }),
    [{ path: 'hooks[0].prio', message: "unknown key 'prio' (did you mean 'priority'?); allowed here: name, priority" }],
  ],
  [
    'a hook of the wrong kind',
    with_({ hooks: [true] }),
    [{ path: 'hooks[0]', message: 'expected a hook name or { "name": …, "priority": … }, got a boolean' }],
  ],
  [
    'a hook listed twice, once as an object',
    with_({ hooks: ['user_auth', { name: 'user_auth', priority: 9 }] }),
    [{ path: 'hooks[1]', message: "'user_auth' is listed twice (first at hooks[0]); list it once" }],
  ],
  [
    'a command name with a space',
    with_({ commands: ['say hi'] }),
    [
      {
        path: 'commands[0]',
        message: "'say hi' is not a valid command name: use lowercase letters, digits, - and _, starting with a letter (at most 64)",
      },
    ],
  ],
  [
    'a command object with a colon in its name',
    with_({ commands: [{ name: 'a:b' }] }),
    [
      {
        path: 'commands[0].name',
        message: "'a:b' is not a valid command name: use lowercase letters, digits, - and _, starting with a letter (at most 64)",
      },
    ],
  ],
  [
    'a command listed twice',
    with_({ commands: ['hello', 'hello'] }),
    [{ path: 'commands[1]', message: "'hello' is listed twice (first at commands[0]); list it once" }],
  ],
  [
    'a command with a numeric usage',
    with_({ commands: [{ name: 'x', usage: 3 }] }),
    [{ path: 'commands[0].usage', message: 'expected a string, got an integer' }],
  ],
  [
    'a misspelt top-level key',
    with_({ permision: ['task_read'] }),
    [{ path: 'permision', message: `unknown key 'permision' (did you mean 'permissions'?); allowed here: ${ROOT_KEYS}` }],
  ],
  [
    'a camelCase key',
    with_({ apiVersion: '1.0.0' }),
    [{ path: 'apiVersion', message: `unknown key 'apiVersion' (did you mean 'api_version'?); allowed here: ${ROOT_KEYS}` }],
  ],
  [
    'a nested key at the top',
    with_({ allowed_hosts: ['x.org'] }),
    [{ path: 'allowed_hosts', message: `unknown key 'allowed_hosts' (did you mean 'network.allowed_hosts'?); allowed here: ${ROOT_KEYS}` }],
  ],
  ['an unrelated unknown key', with_({ zzz: 1 }), [{ path: 'zzz', message: `unknown key 'zzz'; allowed here: ${ROOT_KEYS}` }]],
  [
    'network without its scope',
    with_({ permissions: ['network'] }),
    [{ path: 'network', message: 'the \'network\' permission needs a scope: add "network": { "allowed_hosts": ["api.example.com"] }' }],
  ],
  [
    'env_vars without its scope',
    with_({ permissions: ['env_vars'] }),
    [{ path: 'env_vars', message: 'the \'env_vars\' permission needs a scope: add "env_vars": { "allowed": ["MY_TOKEN"] }' }],
  ],
  [
    'exec without its scope',
    with_({ permissions: ['exec'] }),
    [{ path: 'exec', message: 'the \'exec\' permission needs a scope: add "exec": { "allowed_commands": ["git"] }' }],
  ],
  [
    'an exec scope without the permission',
    with_({ exec: { allowed_commands: ['git'] } }),
    [{ path: 'exec', message: "'exec' is set but the 'exec' permission is not requested: add 'exec' to permissions or remove 'exec'" }],
  ],
  [
    'an empty host list',
    with_({ permissions: ['network'], network: { allowed_hosts: [] } }),
    [{ path: 'network.allowed_hosts', message: 'list at least one host' }],
  ],
  [
    'a URL where a host belongs',
    with_({ permissions: ['network'], network: { allowed_hosts: ['https://x.org/path'] } }),
    [
      {
        path: 'network.allowed_hosts[0]',
        message: "'https://x.org/path' must be a bare host name such as 'api.example.com' or '*.example.org' (no scheme, port or path)",
      },
    ],
  ],
  [
    'a wildcard in the middle',
    with_({ permissions: ['network'], network: { allowed_hosts: ['api.*.org'] } }),
    [{ path: 'network.allowed_hosts[0]', message: "'api.*.org': a wildcard may only be the whole first label, as in '*.example.org'" }],
  ],
  [
    'a misspelt scope key',
    with_({ permissions: ['network'], network: { allowed_host: ['x.org'] } }),
    [
      { path: 'network.allowed_hosts', message: 'required: add it as a list' },
      { path: 'network.allowed_host', message: "unknown key 'allowed_host' (did you mean 'allowed_hosts'?); allowed here: allowed_hosts" },
    ],
  ],
  [
    'a bad environment variable name',
    with_({ permissions: ['env_vars'], env_vars: { allowed: ['MY-TOKEN'] } }),
    [
      {
        path: 'env_vars.allowed[0]',
        message: "'MY-TOKEN' is not an environment variable name (letters, digits and _, not starting with a digit)",
      },
    ],
  ],
  [
    'shell syntax as an exec command',
    with_({ permissions: ['exec'], exec: { allowed_commands: ['git; rm -rf /'] } }),
    [
      {
        path: 'exec.allowed_commands[0]',
        message:
          "'git; rm -rf /' must be a program name such as 'git' or an absolute path such as '/usr/bin/git', without arguments or shell syntax",
      },
    ],
  ],
  [
    'a relative path as an exec command',
    with_({ permissions: ['exec'], exec: { allowed_commands: ['../bin/x'] } }),
    [
      {
        path: 'exec.allowed_commands[0]',
        message:
          "'../bin/x' must be a program name such as 'git' or an absolute path such as '/usr/bin/git', without arguments or shell syntax",
      },
    ],
  ],
  [
    'a dependency with a bad range',
    with_({ dependencies: { other: 'latest-ish' } }),
    [{ path: 'dependencies.other', message: "'latest-ish' is not a semver range (like ^1.2.0 or >=1.0.0 <3)" }],
  ],
  [
    'a dependency with a bad name',
    with_({ dependencies: { 'Other Plugin': '^1.0.0' } }),
    [
      {
        path: 'dependencies["Other Plugin"]',
        message:
          "'Other Plugin' is not a valid package name: name can only contain URL-friendly characters; name can no longer contain capital letters",
      },
    ],
  ],
  [
    'a dependency on itself',
    with_({ dependencies: { 'hello-world': '^1.0.0' } }),
    [{ path: 'dependencies["hello-world"]', message: 'a plugin cannot depend on itself' }],
  ],
  ['dependencies as a list', with_({ dependencies: ['other'] }), [{ path: 'dependencies', message: 'expected an object, got an array' }]],
  [
    'a memory limit above the policy',
    with_({ limits: { max_memory: 134217728 } }),
    [
      {
        path: 'limits.max_memory',
        message: "134217728 (128 MiB) is above the host policy's 67108864 (64 MiB); a plugin may only lower its limits",
      },
    ],
  ],
  [
    'a CPU limit above the policy',
    with_({ limits: { max_cpu_time_ms: 60000 } }),
    [{ path: 'limits.max_cpu_time_ms', message: "60000 is above the host policy's 10000; a plugin may only lower its limits" }],
  ],
  [
    'a zero limit',
    with_({ limits: { max_file_descriptors: 0 } }),
    [{ path: 'limits.max_file_descriptors', message: 'max_file_descriptors must be greater than 0' }],
  ],
  [
    'a fractional limit',
    with_({ limits: { max_network_connections: 2.5 } }),
    [{ path: 'limits.max_network_connections', message: 'max_network_connections must be a whole number, got a number' }],
  ],
  [
    'an unknown limit',
    with_({ limits: { max_threads: 4 } }),
    [
      {
        path: 'limits.max_threads',
        message: "unknown key 'max_threads'; allowed here: max_memory, max_cpu_time_ms, max_network_connections, max_file_descriptors",
      },
    ],
  ],
  [
    'a __proto__ key',
    JSON.parse('{"name":"x","version":"1.0.0","api_version":"1.0.0","__proto__":{"polluted":true}}'),
    [{ path: '__proto__', message: `unknown key '__proto__'; allowed here: ${ROOT_KEYS}` }],
  ],
  [
    'many problems at once, listed in manifest order',
    { name: 'X', version: '1', api_version: '1.0.0', permissions: ['exec'], bogus: true },
    [
      { path: 'name', message: "'X' is not a valid package name: name can no longer contain capital letters" },
      { path: 'version', message: "'1' is not a semantic version (like 1.0.0)" },
      { path: 'exec', message: 'the \'exec\' permission needs a scope: add "exec": { "allowed_commands": ["git"] }' },
      { path: 'bogus', message: `unknown key 'bogus'; allowed here: ${ROOT_KEYS}` },
    ],
  ],
];

describe('valid manifests', () => {
  it.each(valid)('accepts %s', (_label, input) => {
    const result = safeParseManifest(input);
    if (!result.success) throw result.error;
    expect(result.manifest.name).toBe((input as { name: string }).name);
  });
});

describe('invalid manifests', () => {
  it.each(invalid)('refuses %s, listing exactly its problems', (_label, input, expected) => {
    const result = safeParseManifest(input);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error).toBeInstanceOf(ManifestError);
    expect(result.error.code).toBe('MANIFEST_INVALID');
    expect(result.error.issues).toEqual(expected);
  });

  it('has at least forty cases between them', () => {
    expect(valid.length + invalid.length).toBeGreaterThanOrEqual(40);
  });
});

describe('parseManifest', () => {
  it('throws the ManifestError with every problem in its message', () => {
    let thrown: unknown;
    try {
      parseManifest({ name: 'X', version: '1', api_version: '1.0.0' }, { file: '/plugins/x/plugin.json' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ManifestError);
    expect((thrown as ManifestError).message).toBe(
      [
        '/plugins/x/plugin.json has 2 problems:',
        "  name: 'X' is not a valid package name: name can no longer contain capital letters",
        "  version: '1' is not a semantic version (like 1.0.0)",
      ].join('\n'),
    );
    expect((thrown as ManifestError).file).toBe('/plugins/x/plugin.json');
  });

  it('normalises: hooks and commands become objects, defaults are filled, and the result is frozen', () => {
    const manifest = parseManifest(
      with_({
        author: 'Ada Lovelace <ada@example.com> (https://ada.example)',
        main: './lib/../index.js',
        hooks: ['post_task_execute', { name: 'pre_task_submit', priority: 100 }],
        permissions: ['task_read', 'network'],
        network: { allowed_hosts: ['Hooks.Example.COM'] },
        $schema: 'x.json',
      }),
    );
    expect(manifest).toEqual({
      name: 'hello-world',
      version: '1.0.0',
      description: 'A simple hello world plugin',
      author: { name: 'Ada Lovelace', email: 'ada@example.com', url: 'https://ada.example' },
      api_version: '1.0.0',
      main: 'index.js',
      permissions: ['task_read', 'network'],
      hooks: [
        { name: 'post_task_execute', priority: 0 },
        { name: 'pre_task_submit', priority: 100 },
      ],
      commands: [
        { name: 'hello', description: '', usage: '' },
        { name: 'greet', description: 'Greet someone', usage: '<name>' },
      ],
      dependencies: {},
      network: { allowed_hosts: ['hooks.example.com'] },
      limits: {},
    });
    expect(Object.isFrozen(manifest)).toBe(true);
    expect(Object.isFrozen(manifest.hooks[0])).toBe(true);
    expect(Object.isFrozen(manifest.network?.allowed_hosts)).toBe(true);
  });

  it("does not keep references to the caller's objects", () => {
    const input = with_({ permissions: ['task_read'] });
    const manifest = parseManifest(input);
    (input.permissions as string[]).push('exec');
    expect(manifest.permissions).toEqual(['task_read']);
  });

  it('checks limits against the host policy it is given', () => {
    const input = with_({ limits: { max_memory: 100 * 1024 * 1024 } });
    expect(safeParseManifest(input).success).toBe(false);
    expect(parseManifest(input, { policyLimits: { max_memory: 128 * 1024 * 1024 } }).limits.max_memory).toBe(104857600);
  });

  it('reads a plain name as an author with neither email nor url', () => {
    expect(parseManifest(base).author).toEqual({ name: 'Your Name' });
  });
});
