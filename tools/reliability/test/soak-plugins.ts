// The 50 plugins of the soak, written as real plugin folders (plugin.json + index.js importing
// '@marathon/plugin-api'), and the results the test expects of each. Well-behaved plugins answer
// with a pure function of the event, so that every one of their results can be checked; hostile
// ones fault on a fixed schedule of the dispatch number, so the test knows which call must fail
// and which (the calls in between, on a fresh instance) must succeed again.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const WELL_BEHAVED = 45;

/** The dispatch numbers on which a scheduled hostile plugin faults. */
export const SCHEDULE = {
  /** A plain infinite loop: the in-engine deadline stops it and drops the instance. */
  loop: { every: 500, at: 7 },
  /** An infinite loop of heavy built-ins, which outruns the interrupt: the watchdog stops the worker. */
  builtinLoop: { every: 5000, at: 2501 },
  /** Allocates past its 16 MiB memory limit. */
  memory: { every: 40, at: 3 },
  /** Returns 2 MiB, over the 1 MiB result cap. */
  hugeResult: { every: 100, at: 9 },
  /** Floods its storage (and, in every call, tries capabilities it was not granted). */
  storage: { every: 10, at: 1 },
} as const;

export function faultsOn(schedule: { every: number; at: number }, n: number): boolean {
  return n % schedule.every === schedule.at;
}

/** FNV-1a, 32 bits: the same function in the plugins and in the test. */
export function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
const FNV_SOURCE = `function fnv(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) { hash ^= text.charCodeAt(i); hash = Math.imul(hash, 0x01000193) >>> 0; }
  return hash >>> 0;
}`;

export interface SoakPlugin {
  name: string;
  permissions: string[];
  priority: number;
  limits?: Record<string, number>;
  source: string;
}

/** Well-behaved plugin i: sync or async, with or without task_read (then it sees only the task id). */
export function wellBehaved(i: number): SoakPlugin {
  const name = `good-${String(i).padStart(2, '0')}`;
  const reads = i % 3 !== 0;
  const async = i % 2 === 0;
  // The salt comes from init, so a reloaded instance (after its worker was stopped) must have run init again.
  const body = reads
    ? "success(salt + ':' + fnv(salt + event.task.id + '|' + event.task.args.join(',') + '|' + event.result.exit_code))"
    : "success(salt + ':' + fnv(salt + event.task.id + '|' + (event.task.name === undefined ? 'filtered' : 'LEAK')))";
  return {
    name,
    permissions: reads ? ['task_read'] : [],
    priority: i % 5,
    source: `import { definePlugin, success } from '@marathon/plugin-api';
${FNV_SOURCE}
let salt = 'not-initialised';
export default definePlugin({
  init(ctx) { salt = ctx.plugin.name; },
  hooks: { post_task_execute: ${async ? 'async ' : ''}(ctx, event) => {${async ? ' await null;' : ''} return ${body}; } },
});
`,
  };
}

/** What well-behaved plugin i must answer to dispatch n. */
export function expectedMessage(i: number, n: number): string {
  const name = wellBehaved(i).name;
  const event = soakEvent(n);
  return i % 3 !== 0
    ? `${name}:${fnv(`${name}${event.task.id}|${event.task.args.join(',')}|${event.result.exit_code}`)}`
    : `${name}:${fnv(`${name}${event.task.id}|filtered`)}`;
}

export function soakEvent(n: number) {
  return {
    task: {
      id: `task-${n}`,
      name: 'soak',
      command: 'make',
      args: ['-j2', String(n % 97)],
      submitted_by: 'soak@example.com',
      submitted_at: '2026-11-25T12:00:00.000Z',
    },
    result: { exit_code: n % 3, duration_ms: n % 1000 },
  };
}

const hook = (handler: string) => `import { definePlugin, success, failure } from '@marathon/plugin-api';
export default definePlugin({ hooks: { post_task_execute: ${handler} } });
`;
const seq = 'const n = Number(event.task.id.slice(5));';

export const HOSTILE: SoakPlugin[] = [
  {
    name: 'hostile-loop',
    permissions: ['task_read'],
    priority: 3,
    source: hook(`(ctx, event) => { ${seq}
      if (n % ${SCHEDULE.loop.every} === ${SCHEDULE.loop.at}) for (;;) {}
      if (n % ${SCHEDULE.builtinLoop.every} === ${SCHEDULE.builtinLoop.at}) for (;;) new Array(2e5).fill(0).join();
      return success('still here ' + n);
    }`),
  },
  {
    name: 'hostile-throw',
    permissions: ['task_read'],
    priority: 2,
    // Alternates a synchronous throw and a rejected promise.
    source: hook(`(ctx, event) => { ${seq}
      if (n % 2 === 0) throw new Error('thrown at ' + n);
      return Promise.reject(new TypeError('rejected at ' + n));
    }`),
  },
  {
    name: 'hostile-memory',
    permissions: ['task_read'],
    priority: 1,
    limits: { max_memory: 16 * 1024 * 1024 },
    source: hook(`(ctx, event) => { ${seq}
      if (n % ${SCHEDULE.memory.every} === ${SCHEDULE.memory.at}) { const a = []; for (;;) a.push('x'.repeat(1000) + a.length); }
      return success('small ' + n);
    }`),
  },
  {
    name: 'hostile-invalid',
    permissions: ['task_read'],
    priority: 4,
    // Every kind of value that is not a HookResult, in turn; now and then one over the 1 MiB result cap.
    source: hook(`(ctx, event) => { ${seq}
      if (n % ${SCHEDULE.hugeResult.every} === ${SCHEDULE.hugeResult.at}) return { success: true, message: 'x'.repeat(2 * 1024 * 1024) };
      const kinds = [
        () => 42, () => null, () => 'a string', () => [true], () => ({ success: 'yes' }),
        () => ({ success: true, get message() { throw new Error('getter'); } }),
        () => ({ toJSON() { throw new Error('toJSON'); } }),
        () => { const o = { success: true }; o.self = o; return o; },
        () => ({ success: true, big: 10n }),
      ];
      return kinds[n % kinds.length]();
    }`),
  },
  {
    name: 'hostile-abuser',
    permissions: ['task_read'],
    priority: 0,
    // Tries four capabilities it was not granted on every call, logs 5 lines (500 every hundredth call,
    // past the rate limit), and every tenth call
    // writes 40 KB under one of 32 keys, so that its store soon runs into the 1 MiB cap.
    source: `import { definePlugin, success } from '@marathon/plugin-api';
async function attempt(run) { try { await run(); return 'ALLOWED'; } catch (error) { return error.code; } }
export default definePlugin({ hooks: { post_task_execute: async (ctx, event) => {
  ${seq}
  for (let i = 0; i < (n % 100 === 5 ? 500 : 5); i++) ctx.log.info('flood ' + n + ' ' + i, { n, i });
  const denied = [
    await attempt(() => ctx.fs.read('/etc/passwd')),
    await attempt(() => ctx.net.fetch('http://127.0.0.1:1/')),
    await attempt(() => ctx.exec('sh', ['-c', 'id'])),
    await attempt(() => ctx.env.get('HOME')),
  ].join(',');
  let stored = 'skipped';
  if (n % ${SCHEDULE.storage.every} === ${SCHEDULE.storage.at}) stored = await attempt(() => ctx.storage.set('k' + (n % 32), 'x'.repeat(40000) + n));
  return success(denied + ' ' + (stored === 'ALLOWED' ? 'stored' : stored));
} } });
`,
  },
];

/**
 * What hostile-abuser's store holds after each of its writes, replayed with the platform's rule (a
 * write that would take the store past 1 MiB fails with EFBIG and changes nothing): returns the
 * answer expected for dispatch n's write.
 */
export class StoreModel {
  private readonly values = new Map<string, string>();

  write(n: number): 'stored' | 'EFBIG' {
    const key = `k${n % 32}`;
    const previous = this.values.get(key);
    this.values.set(key, `${'x'.repeat(40000)}${n}`);
    if (Buffer.byteLength(JSON.stringify(Object.fromEntries(this.values))) <= 1024 * 1024) return 'stored';
    if (previous === undefined) this.values.delete(key);
    else this.values.set(key, previous);
    return 'EFBIG';
  }
}

/** Writes a plugin folder under `parent`; returns its path. */
export function writeSoakPlugin(parent: string, plugin: SoakPlugin): string {
  const dir = join(parent, plugin.name);
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: plugin.name,
    version: '1.0.0',
    api_version: '1.0.0',
    description: `soak test plugin ${plugin.name}`,
    permissions: plugin.permissions,
    hooks: [{ name: 'post_task_execute', priority: plugin.priority }],
    ...(plugin.limits === undefined ? {} : { limits: plugin.limits }),
  };
  writeFileSync(join(dir, 'plugin.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'index.js'), plugin.source);
  return dir;
}
