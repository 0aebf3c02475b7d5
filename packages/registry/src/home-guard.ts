// MARATHON_HOME decides what code runs and what gets deleted: state.json names folders that are
// loaded and removed, a sync's journal names paths to move back, the command cache names modules
// oclif loads. So whoever can write there acts as the operator. Opening the home therefore makes
// it private — the home and every folder Marathon writes in created 0700 (files are written
// 0600) — and refuses it when someone else could have written in it:
//  - owned by another user. Root is the exception for a non-root operator (it can write anywhere
//    anyway, like sshd's StrictModes rule); a root operator accepts only root's own home, so that
//    `sudo marathon` in a user's home cannot be steered by that user's files.
//  - group- or world-writable (mode & 0o022): not "fixed" silently, because anything could
//    already have been planted; the error says how to check and fix it.
//  - one of Marathon's folders, or an installed copy or data folder in them, a symbolic link:
//    deleting "inside" it would delete in its target.
// A home or folder that is only readable by others (an older Marathon under umask 022) is
// tightened to 0700 when it is the operator's. POSIX only: on Windows there are no modes or uids.
import type { Stats } from 'node:fs';
import { chmod, lstat, mkdir, readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RegistryError } from './errors';
// The layout module, not marathon-home.ts: this guard is also on the cheap `@marathon/registry/home` entry.
import { ownedFolders, type MarathonHome } from './home-layout';

const PRIVATE = 0o700;

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}

function currentUid(): number | undefined {
  return process.platform === 'win32' ? undefined : process.geteuid?.();
}

/** Why `info` (of `path`) may be changed by someone other than the operator; undefined when it may not. */
function foreignWriteProblem(path: string, info: Stats, uid: number, root: string): string | undefined {
  if (uid === 0 && info.uid !== 0) {
    return (
      `${path} belongs to uid ${info.uid} and you are root: its owner could make ` +
      `Marathon run their code as root. Run marathon as that user, or use a MARATHON_HOME ` +
      `owned by root (chown -R root '${root}' once you have checked its contents)`
    );
  }
  if (info.uid !== uid && info.uid !== 0) {
    return (
      `${path} belongs to uid ${info.uid}, not to you (uid ${uid}): its owner could make ` +
      `Marathon run their code or delete your files. Use a MARATHON_HOME of your own, ` +
      `or, if this one is yours, check its contents and run: chown -R ${uid} '${root}'`
    );
  }
  if ((info.mode & 0o022) !== 0) {
    return (
      `${path} can be changed by other users (mode ${octal(info.mode)}): anything they ` +
      `planted there would be trusted. Check its contents, then run: chmod -R go-rwx '${root}'`
    );
  }
  return undefined;
}

async function tighten(path: string, info: Stats, uid: number): Promise<void> {
  if (info.uid === uid && (info.mode & 0o077) !== 0) await chmod(path, PRIVATE);
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  return lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

async function refuseLink(path: string): Promise<never> {
  const target = await readlink(path).catch(() => '?');
  throw new RegistryError(
    'HOME_UNSAFE',
    `${path} is a symbolic link (to ${target}): Marathon writes and deletes in it and does not follow ` +
      `links out of its home. Replace the link with a real folder holding the same files, then try again`,
  );
}

/** Installed copies and data folders (`data/<name>`, `data/@scope`, `data/@scope/<name>`) are real folders, never links. */
async function refuseLinksIn(folder: string, depth: number): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    const path = join(folder, name);
    const info = await lstatOrUndefined(path);
    if (info?.isSymbolicLink() === true) await refuseLink(path);
    if (depth > 1 && name.startsWith('@') && info?.isDirectory() === true) await refuseLinksIn(path, depth - 1);
  }
}

/**
 * Creates the home (0700) and Marathon's folders in it (0700) if need be, and refuses the home,
 * with HOME_UNSAFE and the command that fixes it, when another user could have written in it.
 */
export async function secureHome(home: MarathonHome): Promise<void> {
  const created = await mkdir(home.root, { recursive: true, mode: PRIVATE });
  const uid = currentUid();
  for (const folder of ownedFolders(home)) {
    await mkdir(folder, { mode: PRIVATE }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST' && error.code !== 'ENOTDIR') throw error;
    });
  }
  if (uid === undefined) return;
  // The home itself may be a link the operator made (~/.marathon → /data/marathon): its target is checked.
  const rootInfo = await stat(home.root);
  const rootProblem = foreignWriteProblem(home.root, rootInfo, uid, home.root);
  if (rootProblem !== undefined) throw new RegistryError('HOME_UNSAFE', rootProblem);
  // Only a folder that is a Marathon home is tightened: MARATHON_HOME may point at a folder the operator uses for other things too.
  if (created !== undefined || (await lstatOrUndefined(home.stateFile)) !== undefined) await tighten(home.root, rootInfo, uid);
  for (const folder of ownedFolders(home)) {
    const info = await lstatOrUndefined(folder);
    if (info === undefined) continue;
    if (info.isSymbolicLink()) await refuseLink(folder);
    // Something else where a folder belongs (a file at cli/) is not a way in; its users fail or do without.
    if (!info.isDirectory()) continue;
    const problem = foreignWriteProblem(folder, info, uid, home.root);
    if (problem !== undefined) throw new RegistryError('HOME_UNSAFE', problem);
    await tighten(folder, info, uid);
  }
  await refuseLinksIn(home.installedDir, 1);
  await refuseLinksIn(join(home.root, 'data'), 2);
}
