// Issue 15, item 9, through the binary: config.json typos passed silently, and `config validate`
// called a missing file valid. Unknown keys get did-you-mean, wrong types are refused, every
// problem at once; a syntax error says its line and column; no config.json is said plainly.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

test('config validate without a config.json says there is none and what the defaults are; exit 1', async () => {
  const outcome = await ws.run(['config', 'validate']);
  expect(outcome.code).toBe(1);
  expect(outcome.stdout).toBe('');
  expect(outcome.stderr).not.toContain('valid');
  expect(outcome.stderr).toContain(`❌ no config.json at ${join(ws.home, 'config.json')}; the defaults apply`);
  expect(outcome.stderr).toContain('  require_signatures: false\n');
  const json = JSON.parse((await ws.run(['config', 'validate', '--json'])).stdout).error;
  expect(json.code).toBe('CONFIG_NOT_FOUND');
  expect(json.details).toContain('require_signatures: false');
  writeFileSync(join(ws.home, 'config.json'), '{}');
  expect((await ws.ok(['config', 'validate'])).stdout).toContain('is valid');
});

test('a misspelt key is refused with did-you-mean, a wrong type too, all at once', async () => {
  await ws.prepare(['plugin', 'list']);
  writeFileSync(join(ws.home, 'config.json'), JSON.stringify({ requre_signatures: 1, max_plugin_size: '10MB' }));
  const outcome = await ws.run(['config', 'validate']);
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toBe(
    [
      `❌ ${join(ws.home, 'config.json')} has 2 problems:`,
      "  requre_signatures: unknown key 'requre_signatures' (did you mean 'require_signatures'?)",
      '  max_plugin_size: Invalid input: expected number, received string',
      '',
    ].join('\n'),
  );
});

test('a syntax error gives its line and column', async () => {
  const file = join(ws.root, 'staging-config.json');
  writeFileSync(file, '{\n  "require_signatures": true\n  "allow_unsigned_dev": false\n}\n');
  const outcome = await ws.run(['config', 'validate', file]);
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toBe(`❌ ${file} is not valid JSON: line 3, column 3: expected ','\n`);
});

test('plugin install refuses while config.json has a typo, and installs once it is fixed', async () => {
  await ws.prepare(['plugin', 'list']);
  writeFileSync(join(ws.home, 'config.json'), '{ "requre_signatures": true }');
  const refused = await ws.run(['plugin', 'install', 'hello-world', '--yes']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("requre_signatures: unknown key 'requre_signatures' (did you mean 'require_signatures'?)");
  expect(refused.stdout).not.toContain('installed successfully');
  const json = JSON.parse((await ws.run(['plugin', 'install', 'hello-world', '--yes', '--json'])).stdout).error;
  expect(json).toMatchObject({
    code: 'POLICY_INVALID',
    details: ["requre_signatures: unknown key 'requre_signatures' (did you mean 'require_signatures'?)"],
  });
  writeFileSync(join(ws.home, 'config.json'), '{ "require_signatures": false }');
  await ws.ok(['plugin', 'install', 'hello-world', '--yes']);
});

test('plugins\' own settings live under "plugins" and reach config_validate untouched', async () => {
  const file = join(ws.root, 'config.json');
  writeFileSync(file, JSON.stringify({ require_signatures: false, plugins: { 'strict-config': { owner: 'ops' } } }));
  expect(JSON.parse((await ws.ok(['config', 'validate', file, '--json'])).stdout)).toEqual({ file, valid: true });
});
