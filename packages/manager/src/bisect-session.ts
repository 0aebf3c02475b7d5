// The bisect session kept in MARATHON_HOME/bisect.json while `plugin bisect` runs: what was enabled
// before it began (so a crash or Ctrl-C can always put it back), what the search has learnt, and
// which process owns it. Written atomically before every change the bisect makes, never under the
// state lock, so other processes (the --run command among them) open the home as usual meanwhile.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ownEntry,
  processRuns,
  processStartTime,
  removeInHome,
  writeFileAtomic,
  type MarathonHome,
  type StateStore,
} from '@marathon/registry';
import { BisectError } from './bisect-error';
import { enabledDependents } from './dependency-graph';

export interface BisectSession {
  version: 1;
  owner: { pid: number; start?: string };
  /** The plugins enabled when the bisect began, dependencies first: what a restore enables. */
  original: string[];
  /** The plugins installed but not enabled then: what a restore disables if they were enabled meanwhile. */
  notEnabled: string[];
  /** Plugins seen enabled together without the problem. */
  good: string[];
  /** Where the culprit is, if there is one. */
  candidates: string[];
  /** Whether the problem was seen with `good` and `candidates` enabled (else the premise is the operator's word only). */
  confirmed: boolean;
  /** 1 is everything disabled. */
  round: number;
  /** What this round enables. */
  enabled: string[];
}

export function bisectSessionFile(home: MarathonHome): string {
  return join(home.root, 'bisect.json');
}

/** The owner record of this process: its pid and, where known, its start time (pids are reused). */
export function thisProcess(): BisectSession['owner'] {
  const start = processStartTime(process.pid);
  return start === undefined ? { pid: process.pid } : { pid: process.pid, start };
}

export function ownerRuns(session: BisectSession): boolean {
  return processRuns(session.owner.pid, session.owner.start);
}

const names = (value: unknown): value is string[] => Array.isArray(value) && value.every((name) => typeof name === 'string');

function parseSession(text: string, file: string): BisectSession {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const session = value as Partial<BisectSession> | undefined;
  const owner = session?.owner as { pid?: unknown; start?: unknown } | undefined;
  const valid =
    typeof session === 'object' &&
    session !== null &&
    session.version === 1 &&
    typeof owner?.pid === 'number' &&
    (owner.start === undefined || typeof owner.start === 'string') &&
    [session.original, session.notEnabled, session.good, session.candidates, session.enabled].every(names) &&
    typeof session.confirmed === 'boolean' &&
    typeof session.round === 'number';
  if (!valid) {
    throw new BisectError(
      'BISECT_SESSION_INVALID',
      `${file} is not a bisect session Marathon wrote: check your plugins with 'marathon plugin list', enable what should be, then delete the file`,
    );
  }
  return session as BisectSession;
}

/** The session in the home, or undefined when no bisect is under way. */
export async function readBisectSession(home: MarathonHome): Promise<BisectSession | undefined> {
  const file = bisectSessionFile(home);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  return text === undefined ? undefined : parseSession(text, file);
}

export async function writeBisectSession(home: MarathonHome, session: BisectSession): Promise<void> {
  await writeFileAtomic(bisectSessionFile(home), `${JSON.stringify(session, null, 2)}\n`);
}

export async function removeBisectSession(home: MarathonHome): Promise<void> {
  await removeInHome(home.root, bisectSessionFile(home));
}

/**
 * The step of every open (home-reconciler.ts): a bisect whose process died (a crash, a kill) left
 * plugins disabled; this puts the enabled set back as it was and removes the session. It writes the
 * statuses directly, without the load checks an enable makes: these plugins were enabled, and
 * loaded, before the bisect. A plugin whose dependency is gone stays as it is. It never waits for
 * the lock: with another process holding it, a later open does this.
 */
export async function restoreAbandonedBisect(home: MarathonHome, store: StateStore): Promise<void> {
  let session: BisectSession | undefined;
  try {
    session = await readBisectSession(home);
  } catch (error) {
    // Left for `plugin bisect` to report: an open must not fail on it.
    if (error instanceof BisectError) return;
    throw error;
  }
  if (session === undefined || ownerRuns(session) || (await store.heldElsewhere())) return;
  const { original, notEnabled } = session;
  await store.transaction(async (state) => {
    for (const name of original) {
      const record = ownEntry(state.plugins, name);
      if (record?.status !== 'disabled') continue;
      const ready = Object.keys(record.manifest.dependencies).every(
        (dependency) => ownEntry(state.plugins, dependency)?.status === 'enabled',
      );
      if (ready) record.status = 'enabled';
    }
    for (const name of notEnabled) {
      if (ownEntry(state.plugins, name)?.status !== 'enabled') continue;
      for (const plugin of [name, ...enabledDependents(name, state.plugins)]) ownEntry(state.plugins, plugin)!.status = 'disabled';
    }
  });
  await removeBisectSession(home);
}
