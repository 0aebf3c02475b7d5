// What a sync removes (installed copies, data folders, stores) is moved aside, not deleted, until
// the whole sync has worked; a rollback puts back what it decides to (sync-journal.ts), empty()
// deletes the rest. Moving is a rename inside MARATHON_HOME, so it is quick and cannot half-happen.
// Each move is written to a journal in the trash folder before it is made, so that a process
// killed mid-sync can be rolled back by the next one. The journal is read back as untrusted input:
// it names paths relative to the home, each of which must be a plugin's installed copy, data folder
// or store (homeEntryOwner) — a journal naming anything else was not written by Marathon and is
// refused, so a planted one cannot make Marathon delete or overwrite a file elsewhere.
import { lstat, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  homeEntryOwner,
  moveInHome,
  RegistryError,
  removeInHome,
  writeFileAtomic,
  type HomeEntry,
  type MarathonHome,
} from '@marathon/registry';

/** One move into the trash: `from` relative to the home (forward slashes), `to` its index in the trash folder. */
interface Move {
  from: string;
  to: string;
}

/** A move read back from the journal, checked, with the plugin it belongs to. */
export interface TrashedEntry extends HomeEntry {
  /** Where it goes back to. */
  path: string;
  /** Where it waits in the trash (absent when the move was journalled but never made). */
  trashed: string;
}

const JOURNAL = 'trash.json';

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

export class Trash {
  private readonly kept: Move[] = [];

  /** `assertHeld` throws when this process no longer holds the lock it moves things under. */
  constructor(
    readonly dir: string,
    private readonly home: MarathonHome,
    private readonly assertHeld: () => Promise<void> = async () => undefined,
  ) {}

  /** Moves `path` (an installed copy, data folder or store) into the trash; nothing happens when it does not exist. */
  async keep(path: string): Promise<void> {
    const entry = homeEntryOwner(this.home, path);
    if (entry === undefined)
      throw new RegistryError(
        'PATH_REFUSED',
        `refused to move ${path} aside: it is not a plugin's installed copy, data folder or store in ${this.home.root}`,
      );
    await this.assertHeld();
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const move = { from: entry.relative, to: String(this.kept.length) };
    this.kept.push(move);
    await writeFileAtomic(join(this.dir, JOURNAL), JSON.stringify(this.kept));
    try {
      await moveInHome(this.home.root, join(this.home.root, move.from), join(this.dir, move.to));
    } catch (error) {
      this.kept.pop();
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
  }

  async empty(): Promise<void> {
    this.kept.length = 0;
    await removeInHome(this.home.root, this.dir);
  }

  /**
   * The moves journalled in a trash folder, newest first, each checked: PATH_REFUSED when the
   * journal names anything Marathon would not have moved. An absent journal is no moves.
   */
  static async read(dir: string, home: MarathonHome): Promise<TrashedEntry[]> {
    let text: string;
    try {
      text = await readFile(join(dir, JOURNAL), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const refuse = (why: string) =>
      new RegistryError(
        'PATH_REFUSED',
        `${join(dir, JOURNAL)} ${why}: Marathon did not write it. Nothing was moved or deleted; check that folder, then remove it`,
      );
    let moves: unknown;
    try {
      moves = JSON.parse(text);
    } catch {
      throw refuse('is not JSON');
    }
    if (!Array.isArray(moves)) throw refuse('is not a list of moves');
    const entries: TrashedEntry[] = [];
    for (const [index, move] of moves.entries()) {
      const { from, to } = (typeof move === 'object' && move !== null ? move : {}) as Partial<Move>;
      if (to !== String(index)) throw refuse(`names trash entry ${JSON.stringify(to)} for move ${index}`);
      // Older journals held absolute paths; either way the path must resolve to a plugin's entry in this home.
      const entry = typeof from === 'string' ? homeEntryOwner(home, from) : undefined;
      if (entry === undefined)
        throw refuse(`names ${JSON.stringify(from)}, which is not a plugin's installed copy, data folder or store in ${home.root}`);
      entries.push({ ...entry, path: join(home.root, ...entry.relative.split('/')), trashed: join(dir, to) });
    }
    return entries.reverse();
  }

  /** Puts one entry back (replacing whatever is there now); false when its copy never reached the trash. */
  static async putBack(home: MarathonHome, entry: TrashedEntry): Promise<boolean> {
    if (!(await exists(entry.trashed))) return false;
    await removeInHome(home.root, entry.path);
    try {
      await moveInHome(home.root, entry.trashed, entry.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // Its scope folder (data/@scope) went with the last plugin in it.
      await mkdir(dirname(entry.path), { recursive: true, mode: 0o700 });
      await moveInHome(home.root, entry.trashed, entry.path);
    }
    return true;
  }

  /** Whether something is at an entry's place now. */
  static occupied(entry: TrashedEntry): Promise<boolean> {
    return exists(entry.path);
  }
}
