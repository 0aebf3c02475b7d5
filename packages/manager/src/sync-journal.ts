// A sync is all-or-nothing even when its process is killed, and its rollback undoes only its own
// changes. It runs holding the state lock (StateStore.exclusive), and before each of its commits
// it journals, in its trash folder, each plugin it is about to change: the record as it was before
// the sync first changed it, and a digest of every record it wrote. A rollback — by the sync
// itself when it fails, or by the next process when it died — then looks at the current state
// under the lock: a plugin still holding a record this sync wrote is put back as it was; one that
// holds anything else was changed by someone else since (after this process lost its lock), and
// is left alone, and said so. Moved-aside copies go back with their plugin.
//
// Whether a sync is alive is the lock's business, not a pid's: proper-lockfile refreshes the lock
// while its holder runs, and takes it over when the holder stops (no heartbeat for 2 s). A journal
// whose lease is not the one held now belongs to a sync that no longer holds the lock: dead (or
// stalled past its heartbeat, in which case it commits nothing more). So recovery happens under
// the lock, never beside a live sync — pid reuse, zombies and pid namespaces do not matter.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  nameTable,
  ownStagingPrefix,
  ownEntry,
  recordProblems,
  RegistryError,
  removeInHome,
  stagingOwner,
  writeFileAtomic,
  operatorTableProblems,
  type InstalledPlugin,
  type MarathonHome,
  type OperatorSettings,
  type StateLease,
  type StateStore,
} from '@marathon/registry';
import { Trash } from './trash';

const RECORD = 'sync.json';
const PURPOSE = 'sync';

interface SyncRecord {
  version: 2;
  /** The lease (StateLease.token) the sync holds; while that holding lasts, the sync is alive. */
  lease: string;
  /** Each plugin the sync changed, as it was before (null: it was not installed). */
  before: Record<string, InstalledPlugin | null>;
  /** Digests of every record the sync committed for each plugin (of null: it removed it). */
  wrote: Record<string, string[]>;
  /** The operator's settings table before the sync's first change of it, and digests of each it wrote. */
  operator?: { before: Record<string, OperatorSettings> | null; wrote: string[] };
}

/** How a rollback names the operator's settings in its report. */
export const OPERATOR_SETTINGS = "the operator's settings";

/** What a rollback did. */
export interface UndoReport {
  /** Plugins put back as they were before the sync. */
  restored: string[];
  /** Plugins someone else changed after the sync did: left as they are now. */
  leftAlone: string[];
}

/**
 * The trash folder of a sync by this process (inside staging, where recovery looks for it), named
 * by pid and start time like install staging: liveness is the lock's to judge, but the name still
 * tells whose it was when pids repeat (pid 1 in every container).
 */
export function syncTrashName(unique: string): string {
  return `${ownStagingPrefix(PURPOSE)}${unique}`;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}

function digest(record: InstalledPlugin | Readonly<Record<string, OperatorSettings>> | null | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(record ?? null)))
    .digest('hex');
}

/** The journal of one running sync. */
export class SyncJournal {
  private constructor(
    readonly trash: Trash,
    private readonly record: SyncRecord,
  ) {}

  /** Starts the journal of a sync that holds `lease`; call before its first change. */
  static async begin(home: MarathonHome, lease: StateLease): Promise<SyncJournal> {
    const dir = join(home.stagingDir, syncTrashName(randomBytes(4).toString('hex')));
    const held = async () => {
      if (!(await lease.stillOurs()))
        throw new RegistryError(
          'LOCK_TIMEOUT',
          `this process stalled and another marathon process took over ${home.root}; it rolls this sync back`,
        );
    };
    const journal = new SyncJournal(new Trash(dir, home, held), {
      version: 2,
      lease: lease.token,
      before: nameTable(),
      wrote: nameTable(),
    });
    await mkdir(dir, { mode: 0o700 });
    await journal.save();
    return journal;
  }

  get dir(): string {
    return this.trash.dir;
  }

  /** The plugins this sync has changed so far. */
  get touched(): string[] {
    return Object.keys(this.record.before);
  }

  private save(): Promise<void> {
    return writeFileAtomic(join(this.dir, RECORD), JSON.stringify(this.record));
  }

  /** StateLease.beforeCommit: journals each plugin the commit changes, before it is written. */
  async recordCommit(
    previous: Readonly<Record<string, InstalledPlugin>>,
    next: Readonly<Record<string, InstalledPlugin>>,
    operator: {
      previous: Readonly<Record<string, OperatorSettings>> | undefined;
      next: Readonly<Record<string, OperatorSettings>> | undefined;
    },
  ): Promise<void> {
    let changed = false;
    const wroteOperator = digest(operator.next);
    if (digest(operator.previous) !== wroteOperator) {
      this.record.operator ??= { before: operator.previous === undefined ? null : structuredClone(operator.previous), wrote: [] };
      if (!this.record.operator.wrote.includes(wroteOperator)) this.record.operator.wrote.push(wroteOperator);
      changed = true;
    }
    for (const name of new Set([...Object.keys(previous), ...Object.keys(next)])) {
      const was = ownEntry(previous, name);
      const now = ownEntry(next, name);
      const wrote = digest(now);
      if (digest(was) === wrote) continue;
      if (!Object.hasOwn(this.record.before, name)) this.record.before[name] = was === undefined ? null : structuredClone(was);
      const list = (this.record.wrote[name] ??= []);
      if (!list.includes(wrote)) list.push(wrote);
      changed = true;
    }
    if (changed) await this.save();
  }

  /** Marks the sync done (it will not be rolled back), then deletes what it moved aside. */
  async finish(): Promise<void> {
    await rm(join(this.dir, RECORD), { force: true });
    await this.trash.empty();
  }
}

/** Reads a sync's record as untrusted input: STATE_INVALID when it is not what begin/recordCommit write. Undefined when absent. */
async function readRecord(dir: string): Promise<SyncRecord | { version: 1 } | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, RECORD), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const refuse = (why: string) =>
    new RegistryError(
      'STATE_INVALID',
      `${join(dir, RECORD)} ${why}: Marathon did not write it, so nothing was rolled back. Check that folder, then remove it`,
    );
  let value: { version?: unknown; lease?: unknown; before?: unknown; wrote?: unknown; operator?: unknown } | null;
  try {
    value = JSON.parse(text) as typeof value;
  } catch {
    throw refuse('is not JSON');
  }
  if (value?.version === 1) return { version: 1 };
  if (
    value?.version !== 2 ||
    typeof value.lease !== 'string' ||
    typeof value.before !== 'object' ||
    value.before === null ||
    Array.isArray(value.before)
  )
    throw refuse('is not a sync record');
  if (typeof value.wrote !== 'object' || value.wrote === null || Array.isArray(value.wrote)) throw refuse('is not a sync record');
  for (const [name, record] of Object.entries(value.before as Record<string, unknown>)) {
    const problems = record === null ? [] : recordProblems(name, record, `before[${JSON.stringify(name)}]`);
    if (problems.length > 0) throw refuse(`records a plugin Marathon would not have installed (${problems[0]!})`);
    const wrote = (value.wrote as Record<string, unknown>)[name];
    if (!Array.isArray(wrote) || wrote.some((entry) => typeof entry !== 'string')) throw refuse(`has no digests for '${name}'`);
  }
  const operator = value.operator as { before?: unknown; wrote?: unknown } | undefined;
  if (operator !== undefined) {
    const wrote = operator?.wrote;
    if (typeof operator !== 'object' || operator === null || !Array.isArray(wrote) || wrote.some((entry) => typeof entry !== 'string'))
      throw refuse("has no digests for the operator's settings");
    if (operator.before !== null && operatorTableProblems(operator.before).length > 0)
      throw refuse(`records operator settings Marathon would not have written (${operatorTableProblems(operator.before)[0]!})`);
  }
  return {
    version: 2,
    lease: value.lease,
    before: nameTable(value.before as SyncRecord['before']),
    wrote: nameTable(value.wrote as SyncRecord['wrote']),
    ...(operator === undefined ? {} : { operator: operator as NonNullable<SyncRecord['operator']> }),
  };
}

/**
 * Undoes the sync journalled in `dir`, from the current state, under the lock (re-entrant in the
 * sync's own lease), and removes the folder. Undefined when there was nothing to undo.
 */
export async function undoSync(home: MarathonHome, store: StateStore, dir: string): Promise<UndoReport | undefined> {
  return store.exclusive(async () => {
    const record = await readRecord(dir);
    const moves = await Trash.read(dir, home);
    if (record === undefined || record.version === 1) {
      // No record: it had not begun, or had finished and only its trash is left. A version-1 record
      // is an older Marathon's, which wrote back whole states: it is not applied (run the sync again).
      await removeInHome(home.root, dir);
      return undefined;
    }
    const state = await store.read();
    const report: UndoReport = { restored: [], leftAlone: [] };
    const back = new Set<string>();
    for (const [name, before] of Object.entries(record.before)) {
      const now = digest(ownEntry(state.plugins, name));
      if (now === digest(before)) back.add(name);
      else if (ownEntry(record.wrote, name)?.includes(now) === true) {
        back.add(name);
        report.restored.push(name);
      } else report.leftAlone.push(name);
    }
    let operatorBack = false;
    if (record.operator !== undefined) {
      const now = digest(state.operator);
      if (now !== digest(record.operator.before)) {
        if (record.operator.wrote.includes(now)) {
          operatorBack = true;
          report.restored.push(OPERATOR_SETTINGS);
        } else report.leftAlone.push(OPERATOR_SETTINGS);
      }
    }
    // Copies first, then the state: at every instant the state names folders that exist.
    for (const entry of moves) {
      if (back.has(entry.plugin)) await Trash.putBack(home, entry);
      // A data folder or store of a plugin someone else has since changed goes back only to an empty place.
      else if (entry.area !== 'installed' && !(await Trash.occupied(entry))) await Trash.putBack(home, entry);
    }
    if (report.restored.length > 0) {
      await store.transaction(async (current) => {
        if (operatorBack) {
          if (record.operator?.before === null || record.operator?.before === undefined) delete current.operator;
          else current.operator = nameTable(record.operator.before);
        }
        for (const name of report.restored) {
          if (name === OPERATOR_SETTINGS) continue;
          const before = record.before[name];
          if (before === null || before === undefined) delete current.plugins[name];
          else current.plugins[name] = before;
        }
      });
    }
    await removeInHome(home.root, dir);
    return report;
  });
}

/** The sync folders in staging (whatever their pid: liveness is the lock's, see above). */
async function syncFolders(home: MarathonHome): Promise<string[]> {
  const names = await readdir(home.stagingDir).catch(() => [] as string[]);
  return names.filter((name) => stagingOwner(name)?.purpose === PURPOSE).map((name) => join(home.stagingDir, name));
}

/**
 * Rolls back every sync that no longer holds the lock: takes the lock (waiting for a live sync to
 * finish), and undoes each journal not made under the lease held now. Returns how many.
 */
export async function rollBackInterruptedSyncs(home: MarathonHome, store: StateStore): Promise<number> {
  if ((await syncFolders(home)).length === 0) return 0;
  return store.exclusive(async (lease) => {
    let rolledBack = 0;
    for (const dir of await syncFolders(home)) {
      const record = await readRecord(dir);
      if (record?.version === 2 && record.lease === lease.token) continue; // this flow's own sync, running
      if ((await undoSync(home, store, dir)) !== undefined) rolledBack++;
    }
    return rolledBack;
  });
}
