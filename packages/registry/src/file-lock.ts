// A cross-process lock on one file, for a read-modify-write that several processes share (the
// installed state, the summed metrics). proper-lockfile: a folder beside the file, whose mtime is a
// heartbeat; a holder whose heartbeat stopped for STALE_MS (it died, or stalled) is taken over.
// A process that finds it taken polls, says so once after a second, and gives up with LOCK_TIMEOUT.
import lockfile from 'proper-lockfile';
import { RegistryError } from './errors';

export const STALE_MS = 2000;

export interface FileLockOptions {
  /** How long to wait for another process before LOCK_TIMEOUT. Default 60 s. */
  timeoutMs?: number;
  /** What the other process holds, as the messages name it (a home folder, a file). */
  held: string;
  /** Told once when this process has waited a second. */
  onWait?: (message: string) => void;
  /** Called if the lock is taken over while still held (this process stalled past the heartbeat). */
  onCompromised?: () => void;
  /** How the wait between attempts is timed; the real clock unless a test drives it. */
  clock?: LockClock;
}

/** The time source a waiting process measures its wait by (one second to onWait, timeoutMs to LOCK_TIMEOUT). */
export interface LockClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: LockClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Takes the lock on `file` (which need not exist); resolves to its release. */
export async function acquireFileLock(file: string, options: FileLockOptions): Promise<() => Promise<void>> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  let told = false;
  const timeout = options.timeoutMs ?? 60_000;
  for (;;) {
    try {
      return await lockfile.lock(file, {
        realpath: false,
        stale: STALE_MS,
        update: STALE_MS / 2,
        retries: 0,
        // A lock lost to staleness while still held fails what its holder commits, not the process.
        onCompromised: options.onCompromised ?? (() => undefined),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const waited = clock.now() - started;
      if (waited > timeout)
        throw new RegistryError(
          'LOCK_TIMEOUT',
          `another marathon process has held ${options.held} for ${Math.round(waited / 1000)} s; try again later`,
        );
      if (!told && waited >= 1000) {
        told = true;
        options.onWait?.(`waiting for another marathon process to finish with ${options.held}…`);
      }
      await clock.sleep(50 + Math.random() * 100);
    }
  }
}

/** Whether a live process holds the lock on `file` now (a lock whose heartbeat stopped does not count). */
export function fileLockHeld(file: string): Promise<boolean> {
  return lockfile.check(file, { realpath: false, stale: STALE_MS });
}

/** Runs `work` holding the lock on `file`; releases it however `work` ends. */
export async function withFileLock<T>(file: string, options: FileLockOptions, work: () => Promise<T>): Promise<T> {
  const release = await acquireFileLock(file, options);
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}
