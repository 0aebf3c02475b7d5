// The installed state: one JSON file in MARATHON_HOME, read without a lock (writes replace it
// atomically, so a reader sees the old or the new file) and changed only inside a transaction that
// holds an inter-process lock (proper-lockfile). A process that finds the lock taken waits and
// says so after a second; a lock whose holder died (no heartbeat for 2 s) is taken over. A lease
// (exclusive) holds the lock across several transactions — a whole sync — so that no other
// process commits in between; the lock's heartbeat, not a pid, says whether its holder is alive.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { HookType, Permission } from '@marathon/plugin-api';
import type { Manifest } from '@marathon/manifest';
import type { FileDigests, SignatureStatus } from '@marathon/security/trust';
import { writeFileAtomic } from './atomic-file';
import { acquireFileLock, fileLockHeld, type LockClock } from './file-lock';
import { parseProcessIdentity, processIdentity, processRuns } from './process-start';
import { RegistryError } from './errors';
import type { MarathonHome } from './marathon-home';
import { operatorTableProblems, type OperatorSettings } from './operator-settings';
import { pluginTableProblems } from './state-shape';

export type PluginStatus = 'enabled' | 'disabled' | 'error';
export type SourceKind = 'search-path' | 'folder' | 'tgz' | 'url' | 'npm';

export interface InstalledPlugin {
  name: string;
  version: string;
  status: PluginStatus;
  /** Why the plugin is in the error state. */
  error?: string;
  /** Where it came from; `integrity` is the SRI digest of the archive, for tgz, URL and npm sources. */
  /**
   * `location`: for a search-path install, the folder the plugin was found in (updates come from
   * there only). Read to copy from and compare against, never to delete.
   */
  source: { kind: SourceKind; spec: string; integrity?: string; location?: string };
  installed_at: string;
  /** The installed copy's folder name, inside MARATHON_HOME/installed. */
  folder: string;
  /** SHA-256 of every file of the installed copy, checked at every load. */
  integrity: FileDigests;
  signature: SignatureStatus;
  /** The permissions the operator accepted at install. */
  granted_permissions: Permission[];
  manifest: Manifest;
  /** The operator's priority per hook, overriding the manifest's (marathon plugin priority). */
  priorities?: Partial<Record<HookType, number>>;
}

export interface InstalledState {
  version: 1;
  plugins: Record<string, InstalledPlugin>;
  /** The operator's settings per plugin name (operator-settings.ts): they outlive the plugin's record. */
  operator?: Record<string, OperatorSettings>;
}

export interface StateStoreOptions {
  /** Called once when the lock has been busy for a second. */
  onWait?: (message: string) => void;
  /** Give up waiting for the lock after this long. Default 60 s (or $MARATHON_LOCK_TIMEOUT_MS, see lockTimeoutFromEnv). */
  lockTimeoutMs?: number;
  /** What a wait for the lock is timed by; the real clock unless a test drives it. */
  lockClock?: LockClock;
}

/**
 * MARATHON_LOCK_TIMEOUT_MS: how long a process waits for another one to finish with the home
 * before it gives up with LOCK_TIMEOUT. Scripts that would rather retry than wait set it low.
 * Undefined when unset; a value that is not a whole number of milliseconds is refused, not ignored.
 */
export function lockTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env.MARATHON_LOCK_TIMEOUT_MS;
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value.trim()))
    throw new RegistryError('SETTING_INVALID', `MARATHON_LOCK_TIMEOUT_MS must be a whole number of milliseconds, not '${value}'`);
  return Number(value.trim());
}

/** The state lock held across several transactions (see StateStore.exclusive). */
export interface StateLease {
  /** Names this holding of the lock (it is written beside the lock): records made under it can later tell whether it is still held. */
  readonly token: string;
  /** False once another process took the lock over (this one stalled past the heartbeat): it must then change nothing more. */
  stillOurs(): Promise<boolean>;
  /**
   * Called under the lock before each commit made inside the lease, with the plugins before and
   * after it: a sync journals what it is about to change here, so a crash never leaves a change
   * it has no record of.
   */
  beforeCommit?: (
    previous: Readonly<Record<string, InstalledPlugin>>,
    next: Readonly<Record<string, InstalledPlugin>>,
    /** The operator's settings table before and after (absent: none). */
    operator: {
      previous: Readonly<Record<string, OperatorSettings>> | undefined;
      next: Readonly<Record<string, OperatorSettings>> | undefined;
    },
  ) => Promise<void>;
}

interface HeldLock {
  token: string;
  stillOurs: () => Promise<boolean>;
  release: () => Promise<void>;
}

/**
 * An object keyed by plugin name that has no prototype, so that a plugin called `constructor` or
 * `toString` is a name like any other: `plugins[name]` is undefined unless it was put there.
 */
export function nameTable<T>(entries: Readonly<Record<string, T>> = {}): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/** `table[name]` when `name` is one of the table's own keys; undefined otherwise (never an inherited Object.prototype member). */
export function ownEntry<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

function emptyState(): InstalledState {
  return { version: 1, plugins: nameTable() };
}

export class StateStore {
  /** The lease of the async flow that holds one: its transactions commit under it instead of locking again. */
  private readonly leases = new AsyncLocalStorage<StateLease>();

  constructor(
    private readonly home: MarathonHome,
    private readonly options: StateStoreOptions = {},
  ) {}

  /** The current state, as last committed. */
  async read(): Promise<InstalledState> {
    let text: string;
    try {
      text = await readFile(this.home.stateFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
      throw new RegistryError('STATE_CORRUPT', `cannot read ${this.home.stateFile}: ${(error as Error).message}`);
    }
    let state: unknown;
    try {
      state = JSON.parse(text);
    } catch {
      throw new RegistryError('STATE_CORRUPT', `${this.home.stateFile} is not valid JSON; restore it or remove it to start afresh`);
    }
    const candidate = state as Partial<InstalledState> | null;
    if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate) || candidate.version !== 1) {
      throw new RegistryError('STATE_CORRUPT', `${this.home.stateFile} is not a Marathon state file (version 1)`);
    }
    const problems = [...pluginTableProblems(candidate.plugins), ...operatorTableProblems(candidate.operator)];
    if (problems.length > 0) {
      throw new RegistryError(
        'STATE_INVALID',
        `${this.home.stateFile} holds what Marathon never writes, so nothing was done; restore the file ` +
          `from a backup, fix these by hand, or remove it to start afresh (its plugins are then forgotten):`,
        problems,
      );
    }
    const read: InstalledState = { ...(candidate as InstalledState), plugins: nameTable(candidate.plugins) };
    if (candidate.operator !== undefined) read.operator = nameTable(candidate.operator);
    return read;
  }

  /** Names the holder of the lock (proper-lockfile's lock is an empty folder, so this sits beside it). */
  private get ownerFile(): string {
    return `${this.home.stateFile}.lock-owner`;
  }

  /**
   * Takes the lock; `stillOurs` says whether it is still held by this process at commit time. A
   * process stalled for longer than STALE_MS (file-lock.ts; a suspended laptop, a starved CPU) has
   * its lock taken over; committing then would overwrite the new holder's commit, a lost update.
   */
  private async lock(): Promise<HeldLock> {
    let compromised = false;
    const release = await this.acquire(() => (compromised = true));
    const token = `${processIdentity()}-${randomBytes(8).toString('hex')}`;
    await writeFile(this.ownerFile, token, { mode: 0o600 }).catch(async (error: unknown) => {
      await release().catch(() => undefined);
      throw error;
    });
    const owner = () => readFile(this.ownerFile, 'utf8').catch(() => '');
    return {
      token,
      stillOurs: async () => !compromised && (await owner()) === token,
      release: async () => {
        if ((await owner()) === token) await rm(this.ownerFile, { force: true });
        await release();
      },
    };
  }

  private acquire(onCompromised: () => void): Promise<() => Promise<void>> {
    const { lockTimeoutMs, onWait, lockClock } = this.options;
    return acquireFileLock(this.home.stateFile, {
      held: this.home.root,
      onCompromised,
      ...(lockTimeoutMs === undefined ? {} : { timeoutMs: lockTimeoutMs }),
      ...(onWait === undefined ? {} : { onWait }),
      ...(lockClock === undefined ? {} : { clock: lockClock }),
    });
  }

  /**
   * Runs `change` on the latest state under the lock and commits what it returns (or the state it
   * mutated). Everything `change` does on disk happens while no other process can commit.
   */
  async transaction<T>(change: (state: InstalledState) => Promise<T>): Promise<T> {
    return this.exclusive((lease) => this.commitUnder(lease, change));
  }

  /**
   * Holds the lock while `work` runs: every transaction `work` makes (in its async flow) commits
   * under this one holding, and no other process — nor another flow of this one — commits
   * meanwhile; they wait, or give up with LOCK_TIMEOUT. Re-entrant: inside a lease, runs `work`
   * under it.
   */
  async exclusive<T>(work: (lease: StateLease) => Promise<T>): Promise<T> {
    const current = this.leases.getStore();
    if (current !== undefined) return work(current);
    await mkdir(this.home.root, { recursive: true, mode: 0o700 });
    const lock = await this.lock();
    const lease: StateLease = { token: lock.token, stillOurs: lock.stillOurs };
    try {
      return await this.leases.run(lease, () => work(lease));
    } finally {
      await lock.release().catch(() => undefined);
    }
  }

  /**
   * Whether another process (or another flow of this one) holds the lock now, without waiting for
   * it: a reader that would only tidy up after a dead process skips that while the holder lives.
   */
  async heldElsewhere(): Promise<boolean> {
    if (this.leases.getStore() !== undefined) return false;
    if (!(await fileLockHeld(this.home.stateFile))) return false;
    // The lock's heartbeat looks alive for a second or two after its holder died; the owner file
    // (`<processIdentity>-<random>`) says at once. None yet: the holder is between the two steps.
    const token = await readFile(this.ownerFile, 'utf8').catch(() => '');
    const dash = token.indexOf('-');
    const owner = dash === -1 ? undefined : parseProcessIdentity(token.slice(0, dash));
    return owner === undefined || processRuns(owner.pid, owner.start);
  }

  /** Runs `work` as if no lease were held here: to take the lock afresh after this process lost it. */
  outsideLease<T>(work: () => Promise<T>): Promise<T> {
    return this.leases.exit(work);
  }

  private lost(): RegistryError {
    return new RegistryError(
      'LOCK_TIMEOUT',
      `this process stalled and another marathon process took over ${this.home.root}: nothing was changed; try again`,
    );
  }

  private async commitUnder<T>(lease: StateLease, change: (state: InstalledState) => Promise<T>): Promise<T> {
    if (!(await lease.stillOurs())) throw this.lost();
    const state = await this.read();
    const before = JSON.stringify(state);
    const result = await change(state);
    const after = JSON.stringify(state, null, 2);
    if (JSON.stringify(state) !== before) {
      if (!(await lease.stillOurs())) throw this.lost();
      const was = JSON.parse(before) as InstalledState;
      await lease.beforeCommit?.(nameTable(was.plugins), state.plugins, { previous: was.operator, next: state.operator });
      await writeFileAtomic(this.home.stateFile, `${after}\n`);
    }
    return result;
  }
}
