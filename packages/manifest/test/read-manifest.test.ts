import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_MANIFEST_BYTES, ManifestError, parseManifestJson, readManifest } from '@marathon/manifest';

const good = { name: 'hello-world', version: '1.0.0', api_version: '1.0.0', commands: ['hello'] };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'marathon-manifest-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function readError(folder: string): Promise<ManifestError> {
  try {
    await readManifest(folder);
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error('readManifest accepted what it should refuse');
}

function textError(text: string): ManifestError {
  try {
    parseManifestJson(text, { file: 'p/plugin.json' });
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error('parseManifestJson accepted what it should refuse');
}

describe('readManifest', () => {
  it('reads and normalises <dir>/plugin.json', async () => {
    writeFileSync(join(dir, 'plugin.json'), JSON.stringify(good, null, 2));
    const manifest = await readManifest(dir);
    expect(manifest.commands).toEqual([{ name: 'hello', description: '', usage: '' }]);
  });

  it('accepts a UTF-8 byte order mark', async () => {
    writeFileSync(join(dir, 'plugin.json'), `\uFEFF${JSON.stringify(good)}`);
    await expect(readManifest(dir)).resolves.toMatchObject({ name: 'hello-world' });
  });

  it('says so when the folder has no plugin.json', async () => {
    const error = await readError(dir);
    expect(error.code).toBe('MANIFEST_NOT_FOUND');
    expect(error.message).toBe(`no plugin.json in ${dir}: a plugin folder needs a plugin.json manifest at its top level`);
    expect(error.file).toBe(join(dir, 'plugin.json'));
  });

  it('says so when the folder itself does not exist', async () => {
    const error = await readError(join(dir, 'missing'));
    expect(error.code).toBe('MANIFEST_NOT_FOUND');
  });

  it('refuses a folder named plugin.json', async () => {
    mkdirSync(join(dir, 'plugin.json'));
    const error = await readError(dir);
    expect(error.code).toBe('MANIFEST_UNREADABLE');
    expect(error.message).toBe(`${join(dir, 'plugin.json')} is not a file`);
  });

  it('reports an unreadable file as such', async () => {
    if (process.getuid?.() === 0) {
      // root reads any file whatever its mode; a dangling symlink fails the same code path instead.
      symlinkSync(join(dir, 'nowhere'), join(dir, 'plugin.json'));
      expect((await readError(dir)).code).toBe('MANIFEST_NOT_FOUND');
      return;
    }
    writeFileSync(join(dir, 'plugin.json'), JSON.stringify(good));
    chmodSync(join(dir, 'plugin.json'), 0o000);
    const error = await readError(dir);
    expect(error.code).toBe('MANIFEST_UNREADABLE');
    expect(error.message).toContain('permission denied');
  });

  it('refuses a file larger than a manifest can be, without reading it', async () => {
    writeFileSync(join(dir, 'plugin.json'), ' '.repeat(MAX_MANIFEST_BYTES + 1));
    const error = await readError(dir);
    expect(error.code).toBe('MANIFEST_TOO_LARGE');
  });

  it('names the file in schema problems', async () => {
    writeFileSync(join(dir, 'plugin.json'), JSON.stringify({ ...good, version: 'one' }));
    const error = await readError(dir);
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.message.split('\n')[0]).toBe(`${join(dir, 'plugin.json')} has 1 problem:`);
  });
});

describe('parseManifestJson: bad JSON is reported with line and column', () => {
  const cases: Array<[string, string, number, number, string]> = [
    ['a trailing comma', '{\n  "name": "x",\n}', 3, 1, 'expected a property name in double quotes (is there a trailing comma?)'],
    ['a missing comma', '{\n  "name": "x"\n  "version": "1.0.0"\n}', 3, 3, "expected ','"],
    ['a comment', '{\n  // the name\n  "name": "x"\n}', 2, 3, 'comments are not allowed in plugin.json'],
    ['single quotes', "{\n  'name': 'x'\n}", 2, 3, 'unexpected character'],
    ['a bare word', '{"name": hello}', 1, 10, 'unexpected character'],
    ['an unterminated string', '{"name": "x', 1, 10, 'unterminated string'],
    ['a missing closing brace', '{"name": "x"', 1, 13, "expected '}'"],
    ['text after the object', '{"name": "x"} {}', 1, 15, 'unexpected text after the end of the JSON value'],
    ['a repeated key', '{\n  "permissions": [],\n  "permissions": ["exec"]\n}', 3, 3, 'key permissions appears twice; keep one'],
    [
      'a repeated nested key',
      '{"network": {"allowed_hosts": [], "allowed_hosts": []}}',
      1,
      35,
      'key network.allowed_hosts appears twice; keep one',
    ],
  ];
  it.each(cases)('%s', (_label, text, line, column, message) => {
    const error = textError(text);
    expect(error.code).toBe('MANIFEST_BAD_JSON');
    expect(error.line).toBe(line);
    expect(error.column).toBe(column);
    expect(error.issues).toEqual([
      { path: '(root)', message: `p/plugin.json is not valid JSON: ${message} at line ${line}, column ${column}` },
    ]);
    expect(error.message).toBe(error.issues[0]?.message);
  });

  it('allows the same key in sibling objects', () => {
    const text = JSON.stringify({ ...good, hooks: [{ name: 'user_auth' }, { name: 'user_authz' }] });
    expect(parseManifestJson(text).hooks).toHaveLength(2);
  });

  it('refuses an empty file with what it must hold', () => {
    const error = textError('  \n');
    expect(error.code).toBe('MANIFEST_BAD_JSON');
    expect(error.message).toBe('p/plugin.json is empty; it must hold a JSON object with at least name, version and api_version');
  });

  it('keeps __proto__ as a plain (refused) key rather than a prototype', () => {
    const error = textError('{"name":"x","version":"1.0.0","api_version":"1.0.0","__proto__":{"isAdmin":true}}');
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.issues.map((issue) => issue.path)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});
