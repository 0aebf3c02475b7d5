// Issue 13, part 5: the persisted audit trail could be erased and could outgrow its cap. One batch
// wrote 11.5 MB into a file meant to rotate at 1 MiB (it rotated only before a batch, to a single
// `.1`), ~2.4 MB of cheap `ctx.storage.get` calls rotated earlier denials away, and denials waited
// for the next batch, so a host that died first lost them.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HookBus } from '@marathon/events';
import type { PluginManager } from '@marathon/manager';
import type { MarathonHome } from '@marathon/registry';
import type { AuditEntry } from '@marathon/security/sandbox';
import { HistoryStore } from '../src/history-store';
import { JsonlLog } from '../src/jsonl-log';
import { open, tempRoot, writePlugin, type Sandbox } from './helpers';

const KiB = 1024;
const MiB = 1024 * KiB;
let sandbox: Sandbox;

beforeEach(() => {
  sandbox = tempRoot();
});
afterEach(() => sandbox.cleanup());

/** Sizes of the files of a log: the current one and its generations. */
function sizes(dir: string, base: string): Record<string, number> {
  const found: Record<string, number> = {};
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir)) if (name === base || name.startsWith(`${base}.`)) found[name] = statSync(join(dir, name)).size;
  return found;
}

const total = (found: Record<string, number>) => Object.values(found).reduce((sum, size) => sum + size, 0);

function allowed(i: number, key = 'k'.repeat(250)): AuditEntry {
  return { time: 1_000_000 + i, plugin: 'flooder', capability: 'storage.get', target: `${key}${i}`, allowed: true };
}

describe('JsonlLog rotation', () => {
  it('rotates inside one batch: a 12 MB batch never puts more than the cap in one file', async () => {
    const log = new JsonlLog<{ seq: number; pad: string }>(join(sandbox.root, 'log.jsonl'), { maxFileBytes: MiB, generations: 4 });
    const records = Array.from({ length: 30_000 }, (_, seq) => ({ seq, pad: 'p'.repeat(400) }));
    await log.append(records);
    const found = sizes(sandbox.root, 'log.jsonl');
    expect(Object.keys(found).sort()).toEqual(['log.jsonl', 'log.jsonl.1', 'log.jsonl.2', 'log.jsonl.3', 'log.jsonl.4']);
    for (const size of Object.values(found)) expect(size).toBeLessThanOrEqual(MiB);
    expect(total(found)).toBeLessThanOrEqual(log.maxTotalBytes);
    // Read back oldest first: the newest records, in the order written, ending with the last one.
    const read = (await log.read()).map((record) => record.seq);
    expect(read.at(-1)).toBe(29_999);
    expect(read).toEqual(Array.from({ length: read.length }, (_, i) => 29_999 - read.length + 1 + i));
    expect(read.length).toBeGreaterThan(10_000);
  });

  it('appendSync keeps the same bounds', () => {
    const log = new JsonlLog<{ seq: number; pad: string }>(join(sandbox.root, 'sync.jsonl'), { maxFileBytes: 64 * KiB, generations: 2 });
    for (let seq = 0; seq < 2_000; seq++) log.appendSync([{ seq, pad: 'p'.repeat(200) }]);
    const found = sizes(sandbox.root, 'sync.jsonl');
    expect(Object.keys(found).sort()).toEqual(['sync.jsonl', 'sync.jsonl.1', 'sync.jsonl.2']);
    for (const size of Object.values(found)) expect(size).toBeLessThanOrEqual(64 * KiB);
  });

  it('rotates a file already over the cap (left by an older version) before writing to it', async () => {
    const file = join(sandbox.root, 'old.jsonl');
    writeFileSync(file, `${JSON.stringify({ seq: -1, pad: 'o'.repeat(3 * MiB) })}\n`);
    const log = new JsonlLog<{ seq: number }>(file, { maxFileBytes: MiB, generations: 2 });
    await log.append([{ seq: 0 }]);
    expect(statSync(file).size).toBeLessThan(100);
    expect((await log.read()).map((record) => record.seq)).toEqual([-1, 0]);
  });

  it('leaves out (and counts) a record larger than a whole file rather than break the cap', async () => {
    const log = new JsonlLog<{ pad: string }>(join(sandbox.root, 'big.jsonl'), { maxFileBytes: KiB, generations: 1 });
    await log.append([{ pad: 'a' }, { pad: 'b'.repeat(2 * KiB) }, { pad: 'c' }]);
    expect((await log.read()).map((record) => record.pad)).toEqual(['a', 'c']);
    expect(log.oversized).toBe(1);
  });
});

describe('HistoryStore keeps denials apart', () => {
  const home = (): MarathonHome => ({ historyDir: join(sandbox.root, 'history') }) as unknown as MarathonHome;

  it('writes a denial before recordAudit returns, before any flush', () => {
    const store = new HistoryStore(home());
    store.recordAudit({ time: 1, plugin: 'p', capability: 'env.get', target: 'HOME', allowed: false, reason: 'no' });
    store.recordAudit(allowed(2));
    const denied = readFileSync(join(sandbox.root, 'history', 'audit-denied.jsonl'), 'utf8');
    expect(
      denied
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).target),
    ).toEqual(['HOME']);
    expect(existsSync(join(sandbox.root, 'history', 'audit.jsonl'))).toBe(false);
  });

  it('a flood of allowed entries far past the cap leaves the denial readable, merged in time order', async () => {
    const store = new HistoryStore(home());
    const bus = new HookBus();
    store.recordAudit({ time: 1_000_000 - 1, plugin: 'flooder', capability: 'env.get', target: 'HOME', allowed: false, reason: 'no' });
    for (let i = 0; i < 40_000; i++) {
      store.recordAudit(allowed(i));
      if (i % 5_000 === 4_999) await store.flush(bus);
    }
    store.recordAudit({ time: 1_000_000 + 40_000, plugin: 'flooder', capability: 'env.get', target: 'PATH', allowed: false, reason: 'no' });
    await store.flush(bus);
    const historyDir = join(sandbox.root, 'history');
    expect(total(sizes(historyDir, 'audit.jsonl'))).toBeLessThanOrEqual(store.audit.allowed.maxTotalBytes);
    const entries = await store.audit.read();
    expect(entries.filter((entry) => !entry.allowed).map((entry) => entry.target)).toEqual(['HOME', 'PATH']);
    expect(entries[0]!.target).toBe('HOME');
    expect(entries.at(-1)!.target).toBe('PATH');
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.time).toBeGreaterThanOrEqual(entries[i - 1]!.time);
  });

  it('a denial that could not be written is kept and written with the next batch', async () => {
    const historyDir = join(sandbox.root, 'history');
    // A folder where the file should be: the synchronous append fails.
    mkdirSync(join(historyDir, 'audit-denied.jsonl'), { recursive: true });
    const store = new HistoryStore(home());
    expect(() => store.recordAudit({ time: 1, plugin: 'p', capability: 'env.get', target: 'HOME', allowed: false })).not.toThrow();
    rmSync(join(historyDir, 'audit-denied.jsonl'), { recursive: true });
    await store.flush(new HookBus());
    expect((await store.audit.read()).map((entry) => entry.target)).toEqual(['HOME']);
  });
});

describe('through the manager and a real sandbox', () => {
  let manager: PluginManager | undefined;
  afterEach(async () => {
    await manager?.close();
    manager = undefined;
  });

  it('a storage.get flood neither erases an earlier denial nor grows the audit files past their caps', async () => {
    writePlugin(sandbox.plugins, {
      name: 'flooder',
      commands: ['deny', 'flood'],
      body: `{ commands: {
        deny: (ctx) => { try { ctx.env.get('HOME'); return 'read'; } catch (error) { return error.code; } },
        flood: async (ctx, args) => {
          const key = 'k'.repeat(250);
          for (let i = 0; i < Number(args[0]); i++) await ctx.storage.get(key + (i % 5));
          return 'flooded';
        },
      } }`,
    });
    manager = await open(sandbox, { historyWriteMs: 60_000 });
    await manager.install('flooder', { yes: true });
    await manager.enable('flooder');
    expect(await manager.run('flooder', 'deny')).toBe('EPERM');
    // On disk at once, not at the next batch: a host killed here would still have it.
    const deniedFile = join(sandbox.home, 'history', 'audit-denied.jsonl');
    expect(readFileSync(deniedFile, 'utf8')).toContain('"target":"HOME"');

    const calls = 150;
    // Gets per call: well past a call's budget of allowed entries (AUDIT_ALLOWED_PER_CALL, 48), so
    // every call writes as much as it may and counts the rest; more gets would write no more.
    const gets = 120;
    const started = Date.now();
    for (let call = 0; call < calls; call++) {
      expect(await manager.run('flooder', 'flood', [String(gets)])).toBe('flooded');
      // Written in many batches, as a long-running host does: rotation used to happen between them.
      if (call % 10 === 9) await manager.auditTrail();
    }
    const elapsed = Date.now() - started;
    const denied = await manager.auditTrail({ plugin: 'flooder', allowed: false });
    expect(denied).toEqual([expect.objectContaining({ capability: 'env.get', target: 'HOME' })]);

    const historyDir = join(sandbox.home, 'history');
    const allowedFiles = sizes(historyDir, 'audit.jsonl');
    const deniedFiles = sizes(historyDir, 'audit-denied.jsonl');
    for (const size of Object.values(allowedFiles)) expect(size).toBeLessThanOrEqual(MiB);
    const all = await manager.auditTrail({ plugin: 'flooder' });
    const summaries = all.filter((entry) => entry.capability === 'audit.dropped');
    // Every call but the last has reported what it dropped (the last one reports at its end or at the next call).
    expect(summaries.length).toBeGreaterThanOrEqual(calls - 1);
    expect(all.filter((entry) => entry.capability === 'storage.get').length).toBeLessThanOrEqual(calls * 48);
    console.info(
      `issue 13 storage.get flood: ${calls} calls x ${gets} gets in ${elapsed} ms; ${all.length} entries kept; audit files ` +
        `${JSON.stringify(allowedFiles)} (total ${total(allowedFiles)} bytes), denied ${JSON.stringify(deniedFiles)}`,
    );
  });
});
