// Whether a path lies inside a folder, decided on path segments: only a real `..` segment climbs
// out. A name that merely starts with two dots (`..foo`, `...`) is an ordinary file in the folder.
import { isAbsolute, relative, sep } from 'node:path';

/** Whether `candidate` is `root` itself or below it (both resolved, absolute paths). */
export function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  if (rel === '') return true;
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
