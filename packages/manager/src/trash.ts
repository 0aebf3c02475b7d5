// What a sync removes (installed copies, data folders, stores) is moved aside, not deleted, until
// the whole sync has worked: restore() puts everything back for a rollback, empty() deletes it.
// Moving is a rename inside MARATHON_HOME, so it is quick and cannot half-happen. Each move is
// written to a journal in the trash folder before it is made, so that a process killed mid-sync
// can be rolled back by the next one (Trash.recover).
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@marathon/registry';

interface Move {
  from: string;
  /** The name inside the trash folder: relative, so the journal holds if the folder is moved. */
  to: string;
}

const JOURNAL = 'trash.json';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Puts back, newest first, every move whose trashed copy is still there. */
async function putBack(dir: string, moves: readonly Move[]): Promise<void> {
  for (const { from, to } of [...moves].reverse()) {
    const trashed = join(dir, to);
    if (!(await exists(trashed))) continue; // journalled but never made, or already put back
    await rm(from, { recursive: true, force: true });
    await rename(trashed, from);
  }
}

export class Trash {
  private readonly kept: Move[] = [];

  constructor(readonly dir: string) {}

  /** Moves `path` into the trash; nothing happens when it does not exist. */
  async keep(path: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const move = { from: path, to: String(this.kept.length) };
    this.kept.push(move);
    await writeFileAtomic(join(this.dir, JOURNAL), JSON.stringify(this.kept));
    try {
      await rename(move.from, join(this.dir, move.to));
    } catch (error) {
      this.kept.pop();
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
  }

  /** Puts everything back where it was, newest first. */
  async restore(): Promise<void> {
    await putBack(this.dir, this.kept);
    this.kept.length = 0;
    await rm(this.dir, { recursive: true, force: true });
  }

  async empty(): Promise<void> {
    this.kept.length = 0;
    await rm(this.dir, { recursive: true, force: true });
  }

  /**
   * Puts back what a dead process's trash holds, from its journal, then removes the folder. Safe
   * to run again if it is itself interrupted: a move already undone is skipped.
   */
  static async recover(dir: string): Promise<void> {
    let moves: Move[] = [];
    try {
      moves = JSON.parse(await readFile(join(dir, JOURNAL), 'utf8')) as Move[];
    } catch {
      // No journal: nothing was moved yet (or it was never a trash).
    }
    await putBack(dir, moves);
    await rm(dir, { recursive: true, force: true });
  }
}
