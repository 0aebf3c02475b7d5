// Issue 13, part 8 (ctx.fs): a path was refused when its relative form merely started with the two
// characters `..`, so a file legitimately called `..foo` or `...` inside the data folder could not be
// written or read. Only a real `..` path segment that climbs out may be refused.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isInside } from '../../src/capabilities/path-inside';
import { hostileDir, loadPlugin, useHelloHost } from '../sandbox-helpers';

describe('issue 13: isInside decides on path segments', () => {
  it.each(['/data', '/data/..foo', '/data/...', '/data/sub/..bar', '/data/.hidden'])('%s is inside /data', (candidate) => {
    expect(isInside('/data', candidate)).toBe(true);
  });
  it.each(['/', '/etc/passwd', '/data-other', '/dat', '/..foo', '/data/../x', '/data/sub/../../x'])('%s is outside /data', (candidate) => {
    expect(isInside('/data', candidate)).toBe(false);
  });
});

describe('issue 13: fs-dotdot-names, files whose names start with two dots', () => {
  const { host, hello, home } = useHelloHost();

  it('writes, reads and lists ..foo, ... and sub/..bar, and still refuses every path that climbs out', async () => {
    const plugin = await loadPlugin(host(), join(hostileDir, 'fs-dotdot-names'), home.home);
    const result = await plugin.runCommand('attack', []);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    const outside = (path: string) => `EPERM: fs.write: '${path}' is outside the plugin's data folder`;
    expect(JSON.parse(result.output ?? '')).toEqual({
      'write ..foo': 'ok: null',
      'read ..foo': 'ok: "data of ..foo"',
      'write ...': 'ok: null',
      'read ...': 'ok: "data of ..."',
      'write sub/..bar': 'ok: null',
      'read sub/..bar': 'ok: "data of sub/..bar"',
      list: 'ok: ["...","..foo","sub"]',
      'write ../x': outside('../x'),
      'write a/../../x': outside('a/../../x'),
      'write ..': outside('..'),
      'write sub/../../x': outside('sub/../../x'),
      'write ../..foo': outside('../..foo'),
    });
    const data = join(home.home, 'data', 'fs-dotdot-names');
    expect(readFileSync(join(data, '..foo'), 'utf8')).toBe('data of ..foo');
    expect(existsSync(join(home.home, 'data', 'x'))).toBe(false);
    expect(existsSync(join(home.home, 'data', '..foo'))).toBe(false);
    expect(await hello().runCommand('hello', [])).toEqual({ ok: true, output: 'Hello, World!' });
  });
});
