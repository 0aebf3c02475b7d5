// What a sync removes (installed copies, data folders, stores) is moved aside, not deleted, until
// the whole sync has worked: restore() puts everything back for a rollback, empty() deletes it.
// Moving is a rename inside MARATHON_HOME, so it is quick and cannot half-happen.
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

export class Trash {
  private readonly kept: Array<{ from: string; to: string }> = [];

  constructor(private readonly dir: string) {}

  /** Moves `path` into the trash; nothing happens when it does not exist. */
  async keep(path: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const to = join(this.dir, String(this.kept.length));
    try {
      await rename(path, to);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    this.kept.push({ from: path, to });
  }

  /** Puts everything back where it was, newest first. */
  async restore(): Promise<void> {
    for (const { from, to } of [...this.kept].reverse()) {
      await rm(from, { recursive: true, force: true });
      await rename(to, from);
    }
    this.kept.length = 0;
    await rm(this.dir, { recursive: true, force: true });
  }

  async empty(): Promise<void> {
    this.kept.length = 0;
    await rm(this.dir, { recursive: true, force: true });
  }
}
