// Issue 15, item 4, through the binary: --json errors dropped their details
// (`{"code":"MANIFEST_INVALID","message":"…has 3 problems:","details":[]}`). Every problem the
// terminal lists is now in `details`, one "path: message" string each, whatever the error's kind.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

interface JsonError {
  code: string;
  message: string;
  details: string[];
}

/** Runs a failing command twice: with --json (its error) and without (what stderr lists under ❌). */
async function both(args: readonly string[]): Promise<{ json: JsonError; listed: string[] }> {
  const json = await ws.run([...args, '--json']);
  const human = await ws.run(args);
  expect({ json: json.code, human: human.code }).toEqual({ json: 1, human: 1 });
  const error = JSON.parse(json.stdout).error as JsonError;
  // Warnings (e.g. an unsigned plugin, said before consent) may come first; the error starts at ❌.
  const all = human.stderr.trimEnd().split('\n');
  const lines = all.slice(
    Math.max(
      0,
      all.findIndex((line) => line.startsWith('❌')),
    ),
  );
  expect(lines[0]).toBe(`❌ ${error.message}`);
  return { json: error, listed: lines.slice(1).map((line) => line.trim()) };
}

function brokenPlugin(): string {
  const dir = join(ws.plugins, 'broken');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'plugin.json'),
    JSON.stringify({
      name: 'broken',
      version: '1.0',
      api_version: '1.0.0',
      permissions: ['root'],
      hooks: [{ name: 'pre_task_submit', priority: 'high' }],
    }),
  );
  writeFileSync(join(dir, 'index.js'), 'export default {};\n');
  return dir;
}

test('plugin install of an invalid plugin.json: every problem in details, as "path: message"', async () => {
  const { json, listed } = await both(['plugin', 'install', brokenPlugin(), '--yes']);
  expect(json.code).toBe('MANIFEST_INVALID');
  expect(json.message).toMatch(/plugin\.json has 3 problems:$/);
  expect(json.details).toEqual([
    "version: '1.0' is not a semantic version (like 1.0.0)",
    expect.stringMatching(/^permissions\[0\]: unknown permission 'root'/),
    'hooks[0].priority: priority must be a whole number, got a string',
  ]);
  expect(listed).toEqual(json.details);
});

test('config validate of an invalid policy: every problem in details', async () => {
  const file = join(ws.root, 'config.json');
  writeFileSync(file, JSON.stringify({ require_signatures: 'yes', limits: 5, requre_signatures: true }));
  const { json, listed } = await both(['config', 'validate', file]);
  expect(json).toEqual({
    code: 'POLICY_INVALID',
    message: `${file} has 3 problems:`,
    details: expect.arrayContaining([
      "requre_signatures: unknown key 'requre_signatures' (did you mean 'require_signatures'?)",
      expect.stringMatching(/^require_signatures: .*expected boolean/),
      expect.stringMatching(/^limits: .*expected object/),
    ]),
  });
  expect(listed).toEqual(json.details);
});

test('a config.json syntax error: one problem, its line and column in the message', async () => {
  const file = join(ws.root, 'config.json');
  writeFileSync(file, '{\n  "require_signatures": true,\n}\n');
  const json = JSON.parse((await ws.run(['config', 'validate', file, '--json'])).stdout).error as JsonError;
  expect(json).toEqual({
    code: 'POLICY_INVALID',
    message: `${file} is not valid JSON: line 3, column 1: expected a property name in double quotes (is there a trailing comma?)`,
    details: [],
  });
});

test("an error with details of its own (the manager's consent summary) keeps them in --json", async () => {
  const dir = writePluginFolder(ws.plugins, {
    name: 'needs-consent',
    permissions: ['network', 'env_vars'],
    manifest: { network: { allowed_hosts: ['api.example.org'] }, env_vars: { allowed: ['MY_TOKEN'] } },
    body: '{ hooks: {} }',
  });
  const { json, listed } = await both(['plugin', 'install', dir]);
  expect(json.code).toBe('CONSENT_REQUIRED');
  expect(json.details.length).toBeGreaterThan(0);
  expect(listed).toEqual(json.details);
});

test('a single-problem error has nothing more to list: details stay empty, not a copy of the message', async () => {
  const dir = join(ws.plugins, 'bad-json');
  mkdirSync(dir);
  writeFileSync(join(dir, 'plugin.json'), '{ "name": "bad-json", }');
  writeFileSync(join(dir, 'index.js'), 'export default {};\n');
  const { json, listed } = await both(['plugin', 'install', dir, '--yes']);
  expect(json.code).toBe('MANIFEST_BAD_JSON');
  expect(json.details).toEqual([]);
  expect(listed).toEqual([]);
});
