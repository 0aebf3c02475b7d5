// Issue 15 (11): the sandbox's standard globals, each used by real plugin code in the real sandbox
// and checked against Node's own implementation where Node has one.
import { createHash, createHmac } from 'node:crypto';
import { SandboxHost, type CommandResult, type LogEntry, type SandboxedPlugin } from '@marathon/security';
import { tempHome } from './sandbox-helpers';
import { loadGuestPlugin } from './written-plugins';

let host: SandboxHost;
let home: { home: string; cleanup(): void };
let plugin: SandboxedPlugin;
const logs: LogEntry[] = [];

const URL_FIELDS = [
  'href',
  'origin',
  'protocol',
  'username',
  'password',
  'host',
  'hostname',
  'port',
  'pathname',
  'search',
  'hash',
] as const;

// Run both in the sandbox and in Node: the two must answer the same.
const URL_SETTERS = `() => {
    const u = new URL('https://example.com/a?x=1');
    u.searchParams.append('y', 'a b&c');
    u.pathname = '/p q/../r';
    u.hash = 'frag ment';
    u.port = '8443';
    u.hostname = 'Other.Example';
    const p = new URLSearchParams({ b: '2', a: '1' });
    p.sort();
    const fromPairs = new URLSearchParams([['k', 'v'], ['k', 'w']]);
    return JSON.stringify({
      href: u.href, params: [...u.searchParams], sorted: p.toString(), all: fromPairs.getAll('k'),
      canParse: [URL.canParse('nope'), URL.canParse('/x', 'https://a.b')], json: JSON.stringify({ u }),
    });
  }`;

// Each command takes its input as JSON in args[0] and answers JSON.
const COMMANDS: Record<string, string> = {
  url: `(ctx, args) => JSON.stringify(JSON.parse(args[0]).map(([input, base]) => {
    try {
      const u = base === undefined ? new URL(input) : new URL(input, base);
      return Object.fromEntries(${JSON.stringify(URL_FIELDS)}.map((field) => [field, u[field]]));
    } catch (error) { return { error: error.constructor.name }; }
  }))`,
  'url-setters': URL_SETTERS,
  text: `(ctx, args) => {
    const text = JSON.parse(args[0]);
    const bytes = new TextEncoder().encode(text);
    const decoder = new TextDecoder();
    const streamed = decoder.decode(bytes.subarray(0, 3), { stream: true }) + decoder.decode(bytes.subarray(3));
    let fatal = 'no error';
    try { new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])); } catch (error) { fatal = error.constructor.name; }
    return JSON.stringify({
      bytes: Array.from(bytes), back: new TextDecoder().decode(bytes), streamed,
      lossy: new TextDecoder().decode(new Uint8Array([0x61, 0xf0, 0x9f, 0x62, 0xff])), fatal,
    });
  }`,
  base64: `(ctx, args) => {
    const text = JSON.parse(args[0]);
    let error = 'none';
    try { btoa('€'); } catch (e) { error = e.name + ':' + (e instanceof DOMException); }
    return JSON.stringify({ encoded: btoa(text), decoded: atob(btoa(text)), forgiving: atob(' aGk '), error });
  }`,
  clone: `() => {
    const shared = { n: 1 };
    const source = {
      shared, again: shared, date: new Date(0), map: new Map([['k', new Set([1, 2])]]),
      bytes: new Uint8Array([1, 2, 3]), re: /a+/gi, error: new RangeError('bad'),
    };
    source.self = source;
    const copy = structuredClone(source);
    let refused = 'none';
    try { structuredClone({ f() {} }); } catch (e) { refused = e.name; }
    return JSON.stringify({
      distinct: copy !== source && copy.shared !== shared,
      sharedKept: copy.shared === copy.again, cycleKept: copy.self === copy,
      date: copy.date instanceof Date && copy.date.getTime() === 0,
      map: copy.map.get('k') instanceof Set && copy.map.get('k').has(2),
      bytes: Array.from(copy.bytes), re: String(copy.re), error: copy.error instanceof RangeError && copy.error.message === 'bad',
      refused,
    });
  }`,
  random: `() => {
    Math.random = () => 0;
    const uuids = Array.from({ length: 50 }, () => crypto.randomUUID());
    const bytes = crypto.getRandomValues(new Uint8Array(65536));
    let quota = 'none';
    try { crypto.getRandomValues(new Uint8Array(65537)); } catch (e) { quota = e.name; }
    let floats = 'none';
    try { crypto.getRandomValues(new Float64Array(2)); } catch (e) { floats = e.name; }
    return JSON.stringify({
      uuids, distinct: new Set(uuids).size, nonZero: bytes.filter((b) => b !== 0).length,
      words: Array.from(crypto.getRandomValues(new Uint32Array(4))), quota, floats,
    });
  }`,
  digest: `(ctx) => JSON.stringify({
    hmac: ctx.crypto.hmac('sha256', 'key', 'The quick brown fox'),
    hmacBytes: ctx.crypto.hmac('sha1', new Uint8Array([1, 2, 3]), new TextEncoder().encode('héllo'), 'base64'),
    sha256: ctx.crypto.sha256('abc', 'base64url'),
    sha512: ctx.crypto.hash('sha512', ''),
    badAlgorithm: (() => { try { ctx.crypto.hash('md5', 'x'); return 'none'; } catch (e) { return e.code + ': ' + e.message; } })(),
    tooBig: (() => { try { ctx.crypto.sha256('x'.repeat(4 * 1024 * 1024 + 1)); return 'none'; } catch (e) { return e.code; } })(),
  })`,
  console: `() => {
    console.log('plain', 42, 'x', { nested: { deeper: { deepest: { gone: 1 } } } }, [1, 'two'], null, undefined);
    console.info('%s=%d (%i) %j %%', 'n', 4.5, 4.5, { a: [1] });
    console.debug('debug line');
    console.warn('warn line');
    console.error(new TypeError('boom'));
    const cyclic = { name: 'loop' };
    cyclic.self = cyclic;
    cyclic.list = [cyclic];
    console.log(cyclic);
    console.log('y'.repeat(10 * 1024 * 1024));
    const wide = {};
    for (let i = 0; i < 100000; i++) wide['k' + i] = 'v'.repeat(100);
    console.log(wide, Array.from({ length: 100000 }, (_, i) => i));
    console.log({ get trap() { for (;;) {} } });
    console.assert(1 === 1, 'not shown');
    console.assert(false, 'shown');
    return 'ok';
  }`,
  globals: `() => JSON.stringify(Object.fromEntries([
    'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'URL', 'URLSearchParams',
    'TextEncoder', 'TextDecoder', 'atob', 'btoa', 'structuredClone', 'crypto', 'DOMException',
    'process', 'require', 'module', 'Buffer', 'fetch', 'XMLHttpRequest', 'WebSocket', 'setImmediate', 'WebAssembly',
    'hostSync', 'hostAsync', 'hostLoad', 'hostSetTimer', 'hostClearTimer', 'load', 'guestHost', 'exports', 'SharedArrayBuffer',
  ].map((name) => [name, typeof globalThis[name]])))`,
  replaced: `() => { globalThis.URL = 'mine'; delete globalThis.console; return JSON.stringify([URL, typeof console]); }`,
};

beforeAll(async () => {
  home = tempHome();
  host = new SandboxHost({ policy: { limits: { call_deadline_ms: 5000 } }, onLog: (entry) => void logs.push(entry) });
  plugin = await loadGuestPlugin(host, home.home, { name: 'globals-user', commands: COMMANDS });
});

afterAll(async () => {
  await host.close();
  home.cleanup();
});

async function run(command: string, input?: unknown): Promise<any> {
  const result: CommandResult = await plugin.runCommand(command, input === undefined ? [] : [JSON.stringify(input)]);
  if (!result.ok) throw new Error(`${command}: ${result.error.code}: ${result.error.message}`);
  return JSON.parse(result.output ?? 'null');
}

const URL_CASES: Array<[string, string?]> = [
  ['https://Example.COM:443/a/./b/../c?q=1 2#frag'],
  ['http://user:p%40ss@host.example:8080/path?x=y'],
  ['HTTP://EXAMPLE.com/%7Efoo/bar baz'],
  ['../up/one?x#y', 'https://example.com/a/b/c'],
  ['//other.example/x', 'https://example.com/a'],
  ['?only=query', 'https://example.com/a/b'],
  ['#only-hash', 'https://example.com/a/b?q'],
  ['/abs', 'https://example.com/a/b'],
  ['http://0x7f.1/'],
  ['http://2130706433/'],
  ['http://[0:0:0:0:0:ffff:7f00:1]:80/'],
  ['http://[2001:db8::1]/'],
  ['https://münchen.example/straße'],
  ['https://example.com/\u00e9?\u00e9=\u00e9#\u00e9'],
  ['mailto:someone@example.com'],
  ['data:text/plain,hello world'],
  ['foo://opaque.host:99/p?q'],
  ['file:///etc/passwd'],
  ['wss://chat.example:443/socket'],
  ['https://exa mple.com/'],
  ['http://a:99999/'],
  ['not a url'],
  ['https://'],
  ['https://ex\tample.com/a\nb'],
  ['  https://trim.example/  '],
  ['https:example.com/relative-special'],
  ['http://example.com/a\\b\\..\\c'],
];

describe('URL follows the URL standard for the common cases (compared with Node’s)', () => {
  it('parses, resolves and serialises like Node', async () => {
    const guest = (await run('url', URL_CASES)) as Array<Record<string, string>>;
    URL_CASES.forEach(([input, base], index) => {
      let expected: Record<string, string>;
      try {
        const u = base === undefined ? new URL(input) : new URL(input, base);
        expected = Object.fromEntries(URL_FIELDS.map((field) => [field, u[field]]));
      } catch {
        expected = { error: 'TypeError' };
      }
      expect({ input, ...guest[index] }).toEqual({ input, ...expected });
    });
  });

  it('has setters, a live searchParams, URLSearchParams, canParse and toJSON', async () => {
    const inNode = (0, eval)(URL_SETTERS) as () => string;
    expect(await run('url-setters')).toEqual(JSON.parse(inNode()));
  });
});

describe('TextEncoder, TextDecoder, atob and btoa', () => {
  it.each(['plain ascii', 'héllo wörld', '😀 astral and \u2028 separators', 'lone \ud800 surrogate'])(
    'round-trip %j like Node',
    async (text) => {
      const guest = await run('text', text);
      const bytes = [...new TextEncoder().encode(text)];
      expect(guest.bytes).toEqual(bytes);
      expect(guest.back).toBe(new TextDecoder().decode(new Uint8Array(bytes)));
      expect(guest.streamed).toBe(guest.back);
      expect(guest.lossy).toBe(new TextDecoder().decode(new Uint8Array([0x61, 0xf0, 0x9f, 0x62, 0xff])));
      expect(guest.fatal).toBe('TypeError');
    },
  );

  it.each(['', 'a', 'ab', 'abc', 'Marathon\u00ff\u0000'])('btoa/atob %j like Node', async (text) => {
    expect(await run('base64', text)).toEqual({ encoded: btoa(text), decoded: text, forgiving: 'hi', error: 'InvalidCharacterError:true' });
  });
});

describe('structuredClone', () => {
  it('copies data with shared references and cycles, and refuses functions', async () => {
    expect(await run('clone')).toEqual({
      distinct: true,
      sharedKept: true,
      cycleKept: true,
      date: true,
      map: true,
      bytes: [1, 2, 3],
      re: '/a+/gi',
      error: true,
      refused: 'DataCloneError',
    });
  });
});

describe('crypto comes from the host', () => {
  it('randomUUID and getRandomValues come from the host CSPRNG (a plugin’s Math.random changes nothing), capped at 65,536 bytes', async () => {
    const guest = await run('random');
    for (const uuid of guest.uuids) expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(guest.distinct).toBe(50);
    // 65,536 random bytes: about 256 zeros expected; all-zero would mean Math.random was used.
    expect(guest.nonZero).toBeGreaterThan(65_000);
    expect(new Set(guest.words).size).toBe(4);
    expect(guest.quota).toBe('QuotaExceededError');
    expect(guest.floats).toBe('TypeMismatchError');
  });

  it('ctx.crypto computes HMACs and hashes like node:crypto, refusing unknown algorithms and oversized input', async () => {
    const guest = await run('digest');
    expect(guest).toEqual({
      hmac: createHmac('sha256', 'key').update('The quick brown fox').digest('hex'),
      hmacBytes: createHmac('sha1', Buffer.from([1, 2, 3]))
        .update('héllo')
        .digest('base64'),
      sha256: createHash('sha256').update('abc').digest('base64url'),
      sha512: createHash('sha512').update('').digest('hex'),
      badAlgorithm: "EINVAL: ctx.crypto: the algorithm must be one of sha1, sha256, sha384, sha512, not 'md5'",
      tooBig: 'EFBIG',
    });
  });
});

describe('console writes to the plugin’s log, bounded', () => {
  it('maps each method to its level and formats like Node; huge, wide and cyclic arguments stay small', async () => {
    logs.length = 0;
    const started = Date.now();
    expect(await plugin.runCommand('console', [])).toEqual({ ok: true, output: 'ok' });
    expect(Date.now() - started).toBeLessThan(4000);
    const lines = logs.map((entry) => [entry.level, entry.message] as const);
    expect(lines[0]).toEqual(['info', "plain 42 x { nested: { deeper: { deepest: [Object] } } } [ 1, 'two' ] null undefined"]);
    expect(lines[1]).toEqual(['info', 'n=4.5 (4) {"a":[1]} %']);
    expect(lines[2]).toEqual(['debug', 'debug line']);
    expect(lines[3]).toEqual(['warn', 'warn line']);
    expect(lines[4]![0]).toBe('error');
    expect(lines[4]![1]).toMatch(/^TypeError: boom/);
    expect(lines[5]).toEqual(['info', "{ name: 'loop', self: [Circular], list: [ [Circular] ] }"]);
    for (const [, message] of lines) expect(message.length).toBeLessThanOrEqual(4097);
    expect(lines[6]![1]).toBe(`${'y'.repeat(4096)}…`);
    expect(lines[7]![1]).toMatch(/^\{ k0: 'v+', k1: /);
    expect(lines[7]![1]).toMatch(/…$/);
    expect(lines[8]).toEqual(['info', '{ trap: [Getter] }']);
    expect(lines.slice(9)).toEqual([['error', 'Assertion failed: shown']]);
  });
});

describe('what exists and what does not', () => {
  it('has the standard globals and nothing of the host or the bridge', async () => {
    const kinds = await run('globals');
    for (const name of ['console', 'crypto']) expect(kinds[name]).toBe('object');
    for (const name of [
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
      'URL',
      'URLSearchParams',
      'TextEncoder',
      'TextDecoder',
      'atob',
      'btoa',
      'structuredClone',
      'DOMException',
    ]) {
      expect([name, kinds[name]]).toEqual([name, 'function']);
    }
    for (const name of [
      'process',
      'require',
      'module',
      'Buffer',
      'fetch',
      'XMLHttpRequest',
      'WebSocket',
      'setImmediate',
      'WebAssembly',
      'hostSync',
      'hostAsync',
      'hostLoad',
      'hostSetTimer',
      'hostClearTimer',
      'load',
      'guestHost',
      'exports',
    ]) {
      expect([name, kinds[name]]).toEqual([name, 'undefined']);
    }
  });

  it('lets a plugin replace or delete a global, as on the web', async () => {
    expect(await run('replaced')).toEqual(['mine', 'undefined']);
  });
});
