// Issue 15, item 9: config.json typos passed silently ({"requre_signatures": 1} left signatures off).
// Unknown top-level keys are refused with the closest known one, wrong types are refused, every
// problem is listed at once with its path, and a JSON syntax error says its line and column.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_KEYS, DEFAULT_POLICY, loadPolicy, parseConfigText, parsePolicy, PolicyError, TrustError } from '@marathon/security';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'marathon-config-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function refusal(work: () => unknown): PolicyError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    expect(error).toBeInstanceOf(TrustError);
    return error as PolicyError;
  }
  throw new Error('expected a refusal');
}

test('the known top-level keys are listed in one place: every policy key, and plugins', () => {
  expect(Object.keys(CONFIG_KEYS).sort()).toEqual([...Object.keys(DEFAULT_POLICY), 'plugins'].sort());
});

test('a misspelt key is refused with did-you-mean, not ignored', async () => {
  writeFileSync(join(root, 'config.json'), '{"requre_signatures": 1}');
  const error = (await loadPolicy(root).catch((e: unknown) => e)) as PolicyError;
  expect(error).toBeInstanceOf(PolicyError);
  expect(error.code).toBe('POLICY_INVALID');
  expect(error.issues).toEqual([
    { path: 'requre_signatures', message: "unknown key 'requre_signatures' (did you mean 'require_signatures'?)" },
  ]);
  expect(error.message).toContain(join(root, 'config.json'));
});

test('a key close to nothing known is refused with the list of known keys', () => {
  const error = refusal(() => parsePolicy({ registry: 'https://example.com' }, 'config.json'));
  expect(error.issues).toEqual([
    { path: 'registry', message: expect.stringContaining("unknown key 'registry'; known keys are require_signatures,") },
  ]);
});

test('a wrong type is refused, and every problem is listed at once with its path', () => {
  const error = refusal(() =>
    parsePolicy(
      {
        require_signatures: 1,
        requre_signatures: true,
        max_plugin_size: 'big',
        limits: { max_memroy: 5, max_cpu_time_ms: -1 },
        dangerous_permission_combos: [['exec', 'root']],
        plugins: [],
      },
      'config.json',
    ),
  );
  expect(error.issues.map((issue) => issue.path).sort()).toEqual(
    [
      'dangerous_permission_combos[0][1]',
      'limits.max_cpu_time_ms',
      'limits.max_memroy',
      'max_plugin_size',
      'plugins',
      'require_signatures',
      'requre_signatures',
    ].sort(),
  );
  expect(error.issues).toContainEqual({ path: 'limits.max_memroy', message: "unknown key 'max_memroy' (did you mean 'max_memory'?)" });
  expect(error.issues.find((issue) => issue.path === 'require_signatures')?.message).toMatch(/expected boolean/);
  expect(error.message.split('\n')[0]).toBe('config.json has 7 problems:');
  for (const issue of error.issues) expect(error.message).toContain(`  ${issue.path}: ${issue.message}`);
});

test('plugins holds settings by plugin name, left to the plugins; the policy is read as before', () => {
  const { config, policy } = parseConfigText(
    '{ "require_signatures": true, "plugins": { "strict-config": { "owner": "ops" } } }',
    'config.json',
  );
  expect(policy).toEqual({ ...DEFAULT_POLICY, require_signatures: true });
  expect(config).toEqual({ require_signatures: true, plugins: { 'strict-config': { owner: 'ops' } } });
});

test.each([
  [
    'a trailing comma',
    '{\n  "require_signatures": true,\n}\n',
    3,
    1,
    'expected a property name in double quotes (is there a trailing comma?)',
  ],
  ['a comment', '{\n  // signatures\n  "require_signatures": true\n}', 2, 3, 'comments are not allowed in config.json'],
  [
    'a repeated key',
    '{ "require_signatures": true,\n  "require_signatures": false }',
    2,
    3,
    'key require_signatures appears twice; keep one',
  ],
  ['an empty file', '', 1, 1, 'the file is empty; write {} for the defaults'],
])('a JSON syntax error (%s) gives its line and column', async (_label, text, line, column, message) => {
  writeFileSync(join(root, 'config.json'), text);
  const error = (await loadPolicy(root).catch((e: unknown) => e)) as PolicyError;
  expect(error).toBeInstanceOf(PolicyError);
  expect({ line: error.line, column: error.column }).toEqual({ line, column });
  expect(error.message).toBe(`${join(root, 'config.json')} is not valid JSON: line ${line}, column ${column}: ${message}`);
  expect(error.issues).toEqual([{ path: `line ${line}, column ${column}`, message }]);
});

test('a config.json that is not an object is refused', () => {
  expect(refusal(() => parseConfigText('[]', 'config.json')).issues).toEqual([
    { path: '(root)', message: expect.stringContaining('must hold a JSON object') },
  ]);
});

test('no config.json means the defaults (installs go on); a valid one is read', async () => {
  expect(await loadPolicy(root)).toEqual(DEFAULT_POLICY);
  writeFileSync(join(root, 'config.json'), '{ "require_signatures": true, "limits": { "max_memory": 1048576 } }');
  expect(await loadPolicy(root)).toEqual({ ...DEFAULT_POLICY, require_signatures: true, limits: { max_memory: 1048576 } });
});
