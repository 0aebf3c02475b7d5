// Every operation on a named plugin refuses an unknown name the same way; one place makes that error.
import { didYouMean } from '@marathon/manifest';
import type { StateStore } from '@marathon/registry';
import { ManagerError } from './errors';

/** A NOT_INSTALLED error with a did-you-mean over the installed names. */
export async function notInstalled(store: StateStore, name: string): Promise<ManagerError> {
  const names = Object.keys((await store.read()).plugins);
  return new ManagerError('NOT_INSTALLED', `plugin '${name}' is not installed${didYouMean(name, names)}: see marathon plugin list`);
}
