// After install the registry keeps the installed copy's digest list; every load checks the folder
// against it, so a file edited, added or removed since install is refused, with the file named.
import { digestPluginFiles, firstDifference, type DigestChange, type FileDigests } from './plugin-files';

export type IntegrityResult = { ok: true } | { ok: false; change: DigestChange | { path: string; change: 'unreadable' }; message: string };

export async function recordIntegrity(dir: string): Promise<FileDigests> {
  const { digests, problems } = await digestPluginFiles(dir);
  if (problems.length > 0) throw new Error(`cannot record the integrity of ${dir}: ${problems[0]!.path} ${problems[0]!.reason}`);
  return digests;
}

/**
 * Checks a folder against its recorded digests. `wayBack` ends the message of a change: what the
 * operator runs to get the plugin as it was installed (a host names its own repair command).
 */
export async function checkIntegrity(
  dir: string,
  expected: FileDigests,
  plugin = 'plugin',
  wayBack = 'reinstall it',
): Promise<IntegrityResult> {
  const { digests, problems } = await digestPluginFiles(dir);
  const problem = problems[0];
  if (problem !== undefined) {
    return {
      ok: false,
      change: { path: problem.path, change: 'unreadable' },
      message: `${plugin} was modified after install: ${problem.path} ${problem.reason}; ${wayBack}`,
    };
  }
  const change = firstDifference(expected, digests);
  if (change === undefined) return { ok: true };
  const verb = { added: 'was added', removed: 'was removed', changed: 'was changed' }[change.change];
  return { ok: false, change, message: `${plugin} was modified after install: ${change.path} ${verb}; ${wayBack}` };
}
