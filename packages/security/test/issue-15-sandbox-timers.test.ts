// Issue 15 (11): setTimeout and setInterval in the sandbox are bounded by the call that set them.
// A call does not wait for its timers; a timer still pending when its call ends never fires (no
// plugin code runs outside a call, issue 13), and no timer keeps a call past its deadline.
import { SandboxHost, type LogEntry, type SandboxedPlugin } from '@marathon/security';
import { tempHome } from './sandbox-helpers';
import { loadGuestPlugin } from './written-plugins';

const DEADLINE_MS = 1500;
let host: SandboxHost;
let home: { home: string; cleanup(): void };
let plugin: SandboxedPlugin;
const logs: LogEntry[] = [];
const breaches: string[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const COMMANDS: Record<string, string> = {
  // Timers the handler awaits: order, arguments, clearTimeout, an interval cleared by itself.
  awaited: `async () => {
    const seen = [];
    const cancelled = setTimeout(() => seen.push('cancelled'), 5);
    clearTimeout(cancelled);
    await new Promise((resolve) => {
      setTimeout(() => seen.push('0'));
      setTimeout(() => seen.push('20'), 20);
      let ticks = 0;
      const interval = setInterval(() => { seen.push('tick' + ++ticks); if (ticks === 3) clearInterval(interval); }, 50);
      setTimeout((a, b) => { seen.push('600:' + a + b); setTimeout(resolve, 10); }, 600, 'x', 'y');
    });
    queueMicrotask(() => seen.push('micro'));
    await null;
    return JSON.stringify(seen);
  }`,
  // Leaves timers behind: a one-shot and an interval, both writing to the log when they fire.
  detach: `() => { setTimeout(() => console.log('late timeout fired'), 30); setInterval(() => console.log('late interval fired'), 10); return 'returned'; }`,
  detachAsync: `async () => { setTimeout(() => console.log('late async timeout fired'), 60); await new Promise((r) => setTimeout(r, 10)); return 'settled'; }`,
  // Waits long enough for a timer of an earlier call to have come due.
  wait: `async () => { await new Promise((r) => setTimeout(r, 150)); return 'waited'; }`,
  throws: `async () => { setTimeout(() => { throw new Error('from a timer'); }, 0); await new Promise((r) => setTimeout(r, 30)); return 'went on'; }`,
  string: `() => { try { setTimeout('globalThis.x = 1', 0); return 'accepted'; } catch (e) { return e.name; } }`,
  cap: `() => { let n = 0; try { for (;;) { setTimeout(() => {}, 60000); n++; } } catch (e) { return e.name + ' after ' + n; } }`,
  // Hostile: a chain of zero-delay timers that never lets the call settle.
  chain: `() => new Promise(() => { const again = () => setTimeout(again, 0); again(); })`,
  // Hostile: an interval that keeps scheduling more timers until the cap, inside a call that never settles.
  flood: `() => new Promise(() => { setInterval(() => { try { for (let i = 0; i < 100; i++) setTimeout(() => {}, 1e9); } catch (e) {} }, 1); })`,
  // Hostile: a timer callback that never returns.
  spin: `() => new Promise(() => setTimeout(() => { for (;;) {} }, 10))`,
  ok: `() => 'ok'`,
};

beforeAll(async () => {
  home = tempHome();
  host = new SandboxHost({
    policy: { limits: { call_deadline_ms: DEADLINE_MS } },
    onLog: (entry) => void logs.push(entry),
    onBreach: ({ plugin: name, code }) => void breaches.push(`${name}:${code}`),
  });
  plugin = await loadGuestPlugin(host, home.home, {
    name: 'timer-user',
    commands: Object.fromEntries(
      Object.entries(COMMANDS).map(([name, body]) => [name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), body]),
    ),
    prelude: `setTimeout(() => console.log('load-time timer fired'), 20);`,
  });
});

afterAll(async () => {
  await host.close();
  home.cleanup();
});

beforeEach(() => {
  logs.length = 0;
  breaches.length = 0;
});

const messages = () => logs.map((entry) => entry.message);

it('an async handler can await timers: order, arguments, clearTimeout, setInterval, queueMicrotask', async () => {
  const result = await plugin.runCommand('awaited', []);
  const seen = JSON.parse(result.ok ? (result.output ?? '') : '[]') as string[];
  // Timers fire by due time, so on a starved machine an interval tick may pass a one-shot; each
  // kind keeps its own order, the cleared timer never fires, the interval stops after 3 ticks.
  expect([...seen].sort()).toEqual(['0', '20', '600:xy', 'micro', 'tick1', 'tick2', 'tick3']);
  expect(seen.filter((entry) => !entry.startsWith('tick'))).toEqual(['0', '20', '600:xy', 'micro']);
  expect(seen.filter((entry) => entry.startsWith('tick'))).toEqual(['tick1', 'tick2', 'tick3']);
});

it('a timer left pending by a synchronous handler never fires, not even during a later call', async () => {
  expect(await plugin.runCommand('detach', [])).toEqual({ ok: true, output: 'returned' });
  await sleep(100);
  expect(await plugin.runCommand('wait', [])).toEqual({ ok: true, output: 'waited' });
  expect(messages()).toEqual([]);
});

it('a timer an async handler did not await is dropped when the handler settles', async () => {
  expect(await plugin.runCommand('detach-async', [])).toEqual({ ok: true, output: 'settled' });
  expect(await plugin.runCommand('wait', [])).toEqual({ ok: true, output: 'waited' });
  expect(messages()).toEqual([]);
});

it('a timer set while the module loaded does not fire after the load', async () => {
  await sleep(60);
  expect(await plugin.runCommand('wait', [])).toEqual({ ok: true, output: 'waited' });
  expect(messages()).not.toContain('load-time timer fired');
});

it('an exception a timer callback does not catch goes to the plugin’s log; the call goes on', async () => {
  expect(await plugin.runCommand('throws', [])).toEqual({ ok: true, output: 'went on' });
  expect(logs.map((entry) => [entry.level, entry.message])).toEqual([
    ['error', 'uncaught exception in a timer callback: Error: from a timer'],
  ]);
});

it('strings of code are not timers', async () => {
  expect(await plugin.runCommand('string', [])).toEqual({ ok: true, output: 'TypeError' });
});

it('at most 1000 timers are pending at once', async () => {
  expect(await plugin.runCommand('cap', [])).toEqual({ ok: true, output: 'RangeError after 1000' });
  // The thousand were dropped with the call: the next call may set timers again.
  expect(await plugin.runCommand('awaited', [])).toMatchObject({ ok: true });
});

describe('hostile timers are stopped at the call’s deadline', () => {
  it.each(['chain', 'flood', 'spin'])(
    '%s: DEADLINE_EXCEEDED within the deadline (plus the watchdog’s second), and the plugin reloads',
    async (name) => {
      const started = Date.now();
      const result = await plugin.runCommand(name, []);
      const took = Date.now() - started;
      expect(result).toMatchObject({ ok: false, error: { code: 'DEADLINE_EXCEEDED' } });
      expect(took).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
      expect(took).toBeLessThan(DEADLINE_MS + 1500);
      expect(breaches).toEqual(['timer-user:DEADLINE_EXCEEDED']);
      // Nothing of the dropped instance fires later; a fresh one answers.
      await sleep(50);
      expect(await plugin.runCommand('ok', [])).toEqual({ ok: true, output: 'ok' });
      expect(messages().filter((message) => message.includes('fired'))).toEqual([]);
    },
  );
});
