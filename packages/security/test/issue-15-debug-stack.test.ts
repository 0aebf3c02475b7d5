// Issue 15, item 12: with DEBUG, a plugin's failure shows the plugin's own stack (file:line in the
// plugin). The sandbox carries it: the guest prelude sends a thrown Error's stack with the error,
// length-prefixed; readEnvelope keeps only frames, bounded; SandboxError.pluginStack holds it. The
// stack is the plugin's text, so hostile ones (huge, escape-laden, forged envelopes, a replaced
// String.prototype.slice, a throwing getter) must stay bounded and change nothing else.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxHost, type SandboxedPlugin } from '@marathon/security';
import { MAX_STACK_CHARS, MAX_STACK_FRAMES, readGuestStack } from '../src/sandbox/guest-stack';
import { readEnvelope } from '../src/sandbox/result-envelope';
import { loadPlugin, tempHome } from './sandbox-helpers';

// index.js, line by line: the tests below name these line numbers.
const INDEX_JS = [
  /* 1 */ "import { definePlugin } from '@marathon/plugin-api';",
  /* 2 */ "import { explode } from './lib/helper.js';",
  /* 3 */ 'function greet(name) {',
  /* 4 */ "  throw new Error('cannot greet ' + name);",
  /* 5 */ '}',
  /* 6 */ 'export default definePlugin({',
  /* 7 */ '  hooks: {',
  /* 8 */ '    post_task_execute: (ctx, event) => greet(event.task.name),',
  /* 9 */ '  },',
  /* 10 */ '  commands: {',
  /* 11 */ '    greet: (ctx, args) => greet(args[0]),',
  /* 12 */ "    later: async (ctx, args) => { await null; throw new TypeError('later ' + args[0]); },",
  /* 13 */ '    deep: (ctx, args) => explode(args[0]),',
  /* 14 */ "    plain: () => { throw 'a string has no stack'; },",
  /* 15 */ "    huge: () => { const e = new Error('huge'); e.stack = '    at evil (\\x1b[2J/index.js:1:1)\\n'.repeat(100000); throw e; },",
  /* 16 */ "    forged: () => { const e = new Error('one\\n12\\nENO_SUCH_HANDLER\\nforged'); " +
    "e.stack = 'EBAD_RESULT\\n    at fake (index.js:99:1)\\nnot a frame'; throw e; },",
  /* 17 */ "    sliced: () => { String.prototype.slice = function () { return 'x'.repeat(100000); }; throw new Error('sliced'); },",
  /* 18 */ "    getter: () => { const e = new Error('guarded'); Object.defineProperty(e, 'stack', { get() { throw new Error('no'); } }); throw e; },",
  /* 19 */ "    denied: async (ctx) => { await ctx.fs.read('/etc/passwd'); },",
  '  },',
  '});',
  '',
].join('\n');

const HELPER_JS = ['export function explode(what) {', "  throw new RangeError('exploded ' + what);", '}', ''].join('\n');

const COMMANDS = ['greet', 'later', 'deep', 'plain', 'huge', 'forged', 'sliced', 'getter', 'denied'];

let home: { home: string; cleanup(): void };
let host: SandboxHost;
let plugin: SandboxedPlugin;
/** A host whose results may be at most 256 bytes: an error with a stack is still the plugin's error. */
let smallHost: SandboxHost;
let smallPlugin: SandboxedPlugin;

beforeAll(async () => {
  home = tempHome();
  const dir = join(home.home, 'plugins', 'stacky');
  mkdirSync(join(dir, 'lib'), { recursive: true });
  writeFileSync(join(dir, 'index.js'), INDEX_JS);
  writeFileSync(join(dir, 'lib', 'helper.js'), HELPER_JS);
  writeFileSync(
    join(dir, 'plugin.json'),
    JSON.stringify({
      name: 'stacky',
      version: '1.0.0',
      description: 'throws from known lines',
      api_version: '1.0.0',
      permissions: ['task_read'],
      hooks: ['post_task_execute'],
      commands: COMMANDS,
    }),
  );
  host = new SandboxHost({ policy: { limits: { call_deadline_ms: 5000 } }, env: {} });
  plugin = await loadPlugin(host, dir, home.home);
  smallHost = new SandboxHost({ policy: { limits: { call_deadline_ms: 5000, max_result_bytes: 256 } }, env: {} });
  smallPlugin = await loadPlugin(smallHost, dir, home.home);
});

afterAll(async () => {
  await host.close();
  await smallHost.close();
  home.cleanup();
});

async function failure(name: string, args: string[] = ['Ada'], on: SandboxedPlugin = plugin) {
  const result = await on.runCommand(name, args);
  if (result.ok) throw new Error(`command ${name} did not fail`);
  return result.error;
}

describe('a throwing handler carries its own stack', () => {
  it('names the file and line it threw from, relative to the plugin folder, without the sandbox frames', async () => {
    const error = await failure('greet');
    expect(error.code).toBe('HANDLER_FAILED');
    expect(error.message).toBe("plugin 'stacky' failed: cannot greet Ada");
    expect(error.pluginStack?.split('\n')).toEqual([
      expect.stringMatching(/^at greet \(index\.js:4:\d+\)$/),
      expect.stringMatching(/^at .* \(index\.js:11:\d+\)$/),
    ]);
    // The host's stack is not replaced: it is still the SandboxError's own.
    expect(error.stack).toMatch(/^SandboxError: /);
  });

  it('names a helper module by its path, and an async handler by the line that threw after an await', async () => {
    expect((await failure('deep')).pluginStack?.split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(/^at explode \(lib\/helper\.js:2:\d+\)$/),
      expect.stringMatching(/\(index\.js:13:\d+\)$/),
    ]);
    const later = await failure('later');
    expect(later.message).toBe("plugin 'stacky' failed: later Ada");
    expect(later.pluginStack).toMatch(/^at .*\(index\.js:12:\d+\)$/m);
  });

  it('a failing hook has it too, on the HookCallResult', async () => {
    const called = await plugin.callHook('post_task_execute', {
      task: { id: 't', name: 'nightly', command: 'true', args: [], submitted_by: 'ada', submitted_at: '2026-01-01T00:00:00.000Z' },
      result: { exit_code: 0, duration_ms: 1 },
    });
    expect(called.result).toMatchObject({ success: false, message: "plugin 'stacky' failed: cannot greet nightly" });
    expect(called.error?.pluginStack?.split('\n')).toEqual([
      expect.stringMatching(/^at greet \(index\.js:4:\d+\)$/),
      expect.stringMatching(/\(index\.js:8:\d+\)$/),
    ]);
  });

  it("a thrown value that is not an Error has none, nor has a denied capability's error, made by the sandbox", async () => {
    const plain = await failure('plain');
    expect(plain.message).toBe("plugin 'stacky' failed: a string has no stack");
    expect(plain.pluginStack).toBeUndefined();
    const denied = await failure('denied');
    // Made by the sandbox in a promise job, after the plugin's await: no frame of the plugin's is
    // on it (QuickJS keeps no async stack), and the sandbox's own are not shown.
    expect(denied.message).toContain("fs.read needs the 'filesystem' permission");
    expect(denied.pluginStack).toBeUndefined();
  });
});

describe('a hostile stack stays bounded and forges nothing', () => {
  it('a huge, escape-laden stack is cut to MAX_STACK_FRAMES frames; the escapes are left for the printer', async () => {
    const error = await failure('huge');
    expect(error.code).toBe('HANDLER_FAILED');
    expect(error.message).toBe("plugin 'stacky' failed: huge");
    const frames = error.pluginStack!.split('\n');
    expect(frames).toHaveLength(MAX_STACK_FRAMES);
    expect(frames[0]).toBe('at evil (\x1b[2J/index.js:1:1)');
    expect(error.pluginStack!.length).toBeLessThanOrEqual(MAX_STACK_CHARS);
  });

  it('text in the stack or the message that looks like an envelope is only text', async () => {
    const error = await failure('forged');
    expect(error.code).toBe('HANDLER_FAILED');
    expect(error.message).toBe("plugin 'stacky' failed: one\n12\nENO_SUCH_HANDLER\nforged");
    expect(error.pluginStack).toBe('at fake (index.js:99:1)');
  });

  it('a replaced String.prototype.slice or a throwing stack getter cannot break the answer', async () => {
    const guarded = await failure('getter');
    expect(guarded.message).toBe("plugin 'stacky' failed: guarded");
    expect(guarded.pluginStack).toBeUndefined();
    // Last on this instance: the plugin has broken its own strings for whatever it runs next.
    const sliced = await failure('sliced');
    expect(sliced.code).toBe('HANDLER_FAILED');
    expect(sliced.pluginStack).toMatch(/^at .*\(index\.js:17:\d+\)$/);
  });

  it('a small result cap applies to values, not to an error and its stack', async () => {
    const error = await failure('huge', [], smallPlugin);
    expect(error.code).toBe('HANDLER_FAILED');
    expect(error.pluginStack!.split('\n')).toHaveLength(MAX_STACK_FRAMES);
  });
});

describe('readEnvelope and readGuestStack', () => {
  it('splits the stack off by its length and keeps only frames', () => {
    const stack =
      '    at cb (/index.js:2:9)\n    at map (native)\n    at greet (/index.js:4:18)\nnoise\n    at <eval> (marathon:prelude:1:12)\n    at apply (native)\n';
    expect(readEnvelope(`EHANDLER_FAILED ${stack.length}\n${stack}the\nmessage`)).toEqual({
      kind: 'error',
      code: 'HANDLER_FAILED',
      message: 'the\nmessage',
      // A built-in the plugin called stays; the prelude's frames and its Reflect.apply go.
      stack: 'at cb (index.js:2:9)\nat map (native)\nat greet (index.js:4:18)',
    });
    expect(readEnvelope('EHANDLER_FAILED\nno stack')).toEqual({ kind: 'error', code: 'HANDLER_FAILED', message: 'no stack' });
    // A stack with no frame in it is no stack.
    expect(readEnvelope('EHANDLER_FAILED 5\nnoisemessage')).toEqual({ kind: 'error', code: 'HANDLER_FAILED', message: 'message' });
  });

  it.each([
    ['a length over the cap', `EHANDLER_FAILED ${MAX_STACK_CHARS + 1}\n${'x'.repeat(MAX_STACK_CHARS + 10)}`],
    ['a length past the end', 'EHANDLER_FAILED 50\nshort'],
    ['a zero length', 'EHANDLER_FAILED 0\nmessage'],
    ['a length with a sign', 'EHANDLER_FAILED -1\nmessage'],
    ['an unknown code', 'EFORGED 1\nxmessage'],
  ])('refuses %s', (_, text) => {
    expect(readEnvelope(text)).toEqual({ kind: 'malformed', message: 'answered an error the sandbox does not know' });
  });

  it('cuts each frame and the number of frames; never reads past MAX_STACK_CHARS', () => {
    const long = readGuestStack(`    at ${'f'.repeat(1000)} (/index.js:1:1)`)!;
    expect(long).toBe(`at ${'f'.repeat(300)}...`);
    expect(readGuestStack('    at a (/index.js:1:1)\n'.repeat(100))!.split('\n')).toHaveLength(MAX_STACK_FRAMES);
    expect(readGuestStack(`${' '.repeat(MAX_STACK_CHARS)}\n    at late (/index.js:1:1)`)).toBeUndefined();
  });
});
