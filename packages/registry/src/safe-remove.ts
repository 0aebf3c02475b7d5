// Deleting and moving inside MARATHON_HOME without ever acting outside it. The paths come from
// records on disk (the state, a sync's journal), so each is checked to lie strictly inside the
// home, and every folder on the way is lstat'ed: a symbolic link there (an `installed/` or
// `data/@scope` pointing elsewhere) would make a delete or a rename land in the link's target, so
// it is refused. The last component is never followed either: a link is removed as a link, and
// rm's recursion does not follow links inside a folder. (A process that can swap a component
// between the check and the call can already write in the home, which home-guard refuses.)
import { lstat, readlink, rename, rm, unlink } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { RegistryError } from './errors';

/** `target`'s components below `root`; refused unless it is strictly inside. */
function componentsBelow(root: string, target: string): string[] {
  const rel = relative(root, target);
  if (rel === '' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) {
    throw new RegistryError('PATH_REFUSED', `refused to touch ${target}: it is not inside MARATHON_HOME (${root})`);
  }
  return rel.split(sep);
}

/**
 * Whether every folder between `root` and `target` exists as a real folder: false when one is
 * missing (nothing to act on); throws HOME_UNSAFE when one is a symbolic link.
 */
async function realFoldersUpTo(root: string, target: string): Promise<boolean> {
  const parts = componentsBelow(root, target);
  let path = root;
  for (const part of parts.slice(0, -1)) {
    path = join(path, part);
    const info = await lstat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (info === undefined) return false;
    if (info.isSymbolicLink()) {
      const to = await readlink(path).catch(() => '?');
      throw new RegistryError(
        'HOME_UNSAFE',
        `${path} is a symbolic link (to ${to}): Marathon does not delete or move through links in its ` +
          `home. Replace the link with a real folder (move the target's contents there), then try again`,
      );
    }
    if (!info.isDirectory()) return false;
  }
  return true;
}

/** Removes a file, folder or link inside `root` (a link as a link); nothing happens when it is absent. */
export async function removeInHome(root: string, target: string): Promise<void> {
  if (!(await realFoldersUpTo(root, target))) return;
  const info = await lstat(target).catch(() => undefined);
  if (info === undefined) return;
  if (info.isDirectory()) await rm(target, { recursive: true, force: true });
  else
    await unlink(target).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
}

/** Renames `from` to `to`, both inside `root` and reached through real folders only. */
export async function moveInHome(root: string, from: string, to: string): Promise<void> {
  if (!(await realFoldersUpTo(root, from))) {
    throw Object.assign(new Error(`ENOENT: no such file or directory, rename '${from}'`), { code: 'ENOENT' });
  }
  if (!(await realFoldersUpTo(root, to))) {
    throw Object.assign(new Error(`ENOENT: no such file or directory, rename to '${to}'`), { code: 'ENOENT' });
  }
  await rename(from, to);
}
