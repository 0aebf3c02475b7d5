// Issue 19, part A: the value side of declared settings, used by the manager (`ctx.config`) and
// the CLI (`marathon plugin config <name> [key] [value]`).
import {
  checkSettingValue,
  effectiveSettings,
  isSecretReference,
  parseSettingInput,
  resolveSecretReference,
  unknownSettingMessage,
  type SettingDeclaration,
} from '@marathon/manifest';

const timeout: SettingDeclaration = { type: 'integer', description: 'Seconds', default: 3600, minimum: 0, maximum: 86400 };
const rules: SettingDeclaration = { type: 'array', description: 'Regexes', default: ['^rm -rf /'] };
const url: SettingDeclaration = { type: 'string', description: 'Where to post', pattern: '^https?://' };
const token: SettingDeclaration = { type: 'string', description: 'Bearer token', secret: true };

describe('checkSettingValue', () => {
  it.each<[string, SettingDeclaration, unknown]>([
    ['an integer in range', timeout, 86400],
    ['an integer at the minimum', timeout, 0],
    ['a number', { type: 'number', description: 'x', minimum: 0.5 }, 0.75],
    ['a boolean', { type: 'boolean', description: 'x' }, false],
    ['text matching the pattern', url, 'https://hooks.example.com'],
    ['an allowed value', { type: 'string', description: 'x', enum: ['low', 'high'] }, 'low'],
    ['a list of text', rules, ['a', 'b']],
    ['an empty list', rules, []],
    ['a list whose items are allowed', { type: 'array', description: 'x', enum: ['a', 'b'] }, ['b', 'b']],
    ['a secret reference', token, '${WEBHOOK_TOKEN}'],
    ['a secret reference with a lowercase name', token, '${_token1}'],
  ])('accepts %s', (_label, declaration, value) => {
    expect(checkSettingValue('task-policy', 'k', declaration, value)).toBeUndefined();
  });

  it.each<[string, SettingDeclaration, unknown, string]>([
    ['a fractional integer', timeout, 1.5, "setting 'timeout_s' of plugin 'task-policy' must be a whole number from 0 to 86400, not 1.5"],
    [
      'an integer below the minimum',
      timeout,
      -1,
      "setting 'timeout_s' of plugin 'task-policy' must be a whole number from 0 to 86400, not -1",
    ],
    [
      'an integer above the maximum',
      timeout,
      86401,
      "setting 'timeout_s' of plugin 'task-policy' must be a whole number from 0 to 86400, not 86401",
    ],
    [
      'text for an integer',
      timeout,
      '12abc',
      "setting 'timeout_s' of plugin 'task-policy' must be a whole number from 0 to 86400, not '12abc'",
    ],
    [
      'infinity for a number',
      { type: 'number', description: 'x' },
      Infinity,
      "setting 'timeout_s' of plugin 'task-policy' must be a number, not Infinity",
    ],
    [
      'NaN for a number',
      { type: 'number', description: 'x', minimum: 1 },
      NaN,
      "setting 'timeout_s' of plugin 'task-policy' must be a number of at least 1, not NaN",
    ],
    [
      'text for a boolean',
      { type: 'boolean', description: 'x' },
      'yes',
      "setting 'timeout_s' of plugin 'task-policy' must be true or false, not 'yes'",
    ],
    [
      'text not matching',
      url,
      'ftp://x',
      "setting 'timeout_s' of plugin 'task-policy' must be text matching the pattern '^https?://', not 'ftp://x'",
    ],
    [
      'a value not allowed',
      { type: 'string', description: 'x', enum: ['low'] },
      'mid',
      "setting 'timeout_s' of plugin 'task-policy' must be one of 'low', not 'mid'",
    ],
    [
      'null for a string',
      url,
      null,
      "setting 'timeout_s' of plugin 'task-policy' must be text matching the pattern '^https?://', not null",
    ],
    ['a string for a list', rules, 'a', "setting 'timeout_s' of plugin 'task-policy' must be a list of text, not 'a'"],
    ['a list with a number', rules, ['a', 1], "setting 'timeout_s' of plugin 'task-policy' must be a list of text; item 2 is 1"],
    [
      'a list with an item not allowed',
      { type: 'array', description: 'x', enum: ['a'], pattern: '^[a-z]$' },
      ['a', 'b'],
      "setting 'timeout_s' of plugin 'task-policy' must be a list of text matching the pattern '^[a-z]$', each one of 'a'; item 2 is 'b'",
    ],
  ])('refuses %s', (_label, declaration, value, message) => {
    expect(checkSettingValue('task-policy', 'timeout_s', declaration, value)).toBe(message);
  });

  it.each(['hunter2', '$X_TOKEN', '${X TOKEN}', '${1X}', '${X}tail', 42])(
    'refuses a secret given as %p, asking for a reference',
    (value) => {
      expect(checkSettingValue('x', 'token', token, value)).toBe(
        "setting 'token' of plugin 'x' is secret: give it as a reference to an environment variable, e.g. ${X_TOKEN}, not as plain text",
      );
    },
  );

  it('suggests a variable name made of the plugin and the key', () => {
    expect(checkSettingValue('@acme/webhook-notifier', 'token', token, 'plain')).toMatch(/e\.g\. \$\{ACME_WEBHOOK_NOTIFIER_TOKEN\},/);
    expect(checkSettingValue('1-bot', 'api_key', token, 'plain')).toMatch(/e\.g\. \$\{X_1_BOT_API_KEY\},/);
  });

  it('never puts the refused secret in the message', () => {
    expect(checkSettingValue('x', 'token', token, 'hunter2')).not.toMatch(/hunter2/);
  });
});

describe('parseSettingInput', () => {
  it.each<[string, SettingDeclaration, string, unknown]>([
    ['an integer', timeout, '3600', 3600],
    ['a negative number', { type: 'number', description: 'x' }, '-1.5', -1.5],
    ['an exponent', { type: 'number', description: 'x' }, '1e3', 1000],
    ['trailing letters, as text', timeout, '12abc', '12abc'],
    ['hex, as text', timeout, '0x10', '0x10'],
    ['empty, as text', timeout, '', ''],
    ['padded, as text', timeout, ' 12', ' 12'],
    ['Infinity, as text', timeout, 'Infinity', 'Infinity'],
    ['true', { type: 'boolean', description: 'x' }, 'true', true],
    ['false', { type: 'boolean', description: 'x' }, 'false', false],
    ['yes, as text', { type: 'boolean', description: 'x' }, 'yes', 'yes'],
    ['a JSON array', rules, '["a{1,3}", "b"]', ['a{1,3}', 'b']],
    ['a JSON array of numbers, for the check to refuse', rules, '[1]', [1]],
    ['broken JSON, as text', rules, '["a"', '["a"'],
    ['a comma-separated list', rules, 'a, b ,c', ['a', 'b', 'c']],
    ['one item', rules, 'a', ['a']],
    ['an empty list', rules, '', []],
    ['text as is', url, ' https://x, y ', ' https://x, y '],
    ['a secret reference as is', token, '${TOKEN}', '${TOKEN}'],
  ])('reads %s', (_label, declaration, text, value) => {
    expect(parseSettingInput(declaration, text)).toEqual(value);
  });

  it('makes what the check refuses into a value the check refuses with the setting named', () => {
    expect(checkSettingValue('p', 'timeout_s', timeout, parseSettingInput(timeout, '12abc'))).toMatch(
      /^setting 'timeout_s' of plugin 'p' must be a whole number/,
    );
  });
});

describe('unknownSettingMessage', () => {
  it('suggests the closest declared key', () => {
    expect(unknownSettingMessage('task-policy', 'timout_s', ['rules', 'timeout_s'])).toBe(
      "plugin 'task-policy' has no setting 'timout_s'; did you mean 'timeout_s'?",
    );
  });

  it('lists the declared keys when none is close', () => {
    expect(unknownSettingMessage('task-policy', 'colour', ['rules', 'timeout_s'])).toBe(
      "plugin 'task-policy' has no setting 'colour'; its settings are rules, timeout_s",
    );
  });

  it('says so when the plugin declares none', () => {
    expect(unknownSettingMessage('x', 'anything', [])).toBe("plugin 'x' declares no settings");
  });
});

describe('secret references', () => {
  it.each(['${A}', '${_a_1}', '${WEBHOOK_TOKEN}'])('%s is one', (value) => {
    expect(isSecretReference(value)).toBe(true);
  });

  it.each(['A', '$A', '${}', '${1A}', '${A-B}', ' ${A}', '${A} ', 7, null])('%p is not one', (value) => {
    expect(isSecretReference(value)).toBe(false);
  });

  it('resolves from the environment given', () => {
    expect(resolveSecretReference('${TOKEN}', { TOKEN: 's3cret' })).toBe('s3cret');
    expect(resolveSecretReference('${TOKEN}', { TOKEN: '' })).toBe('');
  });

  it('is undefined when the variable is unset, or the text is not a reference', () => {
    expect(resolveSecretReference('${TOKEN}', {})).toBeUndefined();
    expect(resolveSecretReference('${TOKEN}', { TOKEN: undefined })).toBeUndefined();
    expect(resolveSecretReference('TOKEN', { TOKEN: 'x' })).toBeUndefined();
  });

  it('never resolves to something inherited by the environment object', () => {
    expect(resolveSecretReference('${constructor}', {})).toBeUndefined();
    expect(resolveSecretReference('${toString}', {})).toBeUndefined();
  });
});

describe('effectiveSettings', () => {
  const declarations: Record<string, SettingDeclaration> = { rules, timeout_s: timeout, url, token };

  it('gives defaults when the operator set nothing, and leaves out settings with neither', () => {
    const { config, view } = effectiveSettings(declarations, undefined, {});
    expect(config).toEqual({ rules: ['^rm -rf /'], timeout_s: 3600 });
    expect(view.map(({ key, source, display }) => ({ key, source, display }))).toEqual([
      { key: 'rules', source: 'default', display: '["^rm -rf /"]' },
      { key: 'timeout_s', source: 'default', display: '3600' },
      { key: 'url', source: 'unset', display: '(not set)' },
      { key: 'token', source: 'unset', display: '(not set)' },
    ]);
    expect(view[2]).not.toHaveProperty('value');
  });

  it("overrides defaults with the operator's values", () => {
    const operator = { timeout_s: 60, url: 'https://hooks.example.com', rules: [] };
    const { config, view } = effectiveSettings(declarations, operator, {});
    expect(config).toEqual({ rules: [], timeout_s: 60, url: 'https://hooks.example.com' });
    expect(view.find((entry) => entry.key === 'url')).toEqual({
      key: 'url',
      declaration: url,
      source: 'operator',
      value: 'https://hooks.example.com',
      display: '"https://hooks.example.com"',
    });
  });

  it('resolves a secret for the plugin and shows people only the reference', () => {
    const { config, view } = effectiveSettings(declarations, { token: '${HOOK_TOKEN}' }, { HOOK_TOKEN: 's3cret' });
    expect(config.token).toBe('s3cret');
    const entry = view.find((setting) => setting.key === 'token');
    expect(entry).toEqual({ key: 'token', declaration: token, source: 'operator', value: '${HOOK_TOKEN}', display: '${HOOK_TOKEN} (set)' });
    expect(JSON.stringify(view)).not.toMatch(/s3cret/);
  });

  it('leaves a secret out of the config when its variable is unset', () => {
    const { config, view } = effectiveSettings(declarations, { token: '${HOOK_TOKEN}' }, {});
    expect(config).not.toHaveProperty('token');
    expect(view.find((setting) => setting.key === 'token')?.display).toBe('${HOOK_TOKEN} (not set in the environment)');
  });

  it('ignores operator values for keys no longer declared', () => {
    const { config, view } = effectiveSettings({ timeout_s: timeout }, { timeout_s: 5, gone: 'x' }, {});
    expect(config).toEqual({ timeout_s: 5 });
    expect(view.map((entry) => entry.key)).toEqual(['timeout_s']);
  });

  it('uses the default, and says why, when a stored value no longer fits its declaration', () => {
    const { config, view } = effectiveSettings({ timeout_s: timeout, token }, { timeout_s: 'soon', token: 'plain-text' }, {});
    expect(config).toEqual({ timeout_s: 3600 });
    expect(view[0]).toMatchObject({
      source: 'default',
      value: 3600,
      problem: "the operator's value is not used: it must be a whole number from 0 to 86400, not 'soon'",
    });
    expect(view[1]).toMatchObject({
      source: 'unset',
      display: '(not set)',
      problem: "the operator's value is not an ${ENV_VAR} reference, so it is not used",
    });
    expect(JSON.stringify(view)).not.toMatch(/plain-text/);
  });

  it('gives the plugin copies, so it cannot change the declaration or the stored values', () => {
    const operator = { rules: ['a'] };
    const { config } = effectiveSettings(declarations, operator, {});
    (config.rules as string[]).push('b');
    expect(operator.rules).toEqual(['a']);
    expect(effectiveSettings(declarations, undefined, {}).config.rules).toEqual(['^rm -rf /']);
  });

  it('escapes characters a terminal would act on in what it shows', () => {
    const { view } = effectiveSettings({ name: { type: 'string', description: 'x' } }, { name: 'a\u001b[2J\u009b\u202eb' }, {});
    expect(view[0]?.display).toBe('"a\\u001b[2J\\u009b\\u202eb"');
  });

  it('is empty for a plugin that declares nothing', () => {
    expect(effectiveSettings(undefined, { x: 1 }, {})).toEqual({ config: {}, view: [] });
  });
});
