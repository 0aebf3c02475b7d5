// Where plugins are discovered, in precedence order: the built-in examples a host ships, the
// home's drop-in folder, the project's .marathon/plugins, then $MARATHON_PLUGIN_PATH and configured
// entries. A name found in two places is taken from the first.
import { delimiter, join, resolve } from 'node:path';
import type { MarathonHome } from './marathon-home';

export type SearchPathKind = 'builtin' | 'home' | 'project' | 'env' | 'config';

export interface SearchPath {
  path: string;
  kind: SearchPathKind;
}

export interface SearchPathOptions {
  home: MarathonHome;
  /** Folders of plugins that ship with the host (the CLI's examples). */
  builtIn?: readonly string[];
  /** The project folder whose .marathon/plugins is searched. Default: the working directory. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Extra folders from configuration. */
  configured?: readonly string[];
}

export function searchPaths(options: SearchPathOptions): SearchPath[] {
  const env = options.env ?? process.env;
  const paths: SearchPath[] = [
    ...(options.builtIn ?? []).map((path) => ({ path: resolve(path), kind: 'builtin' as const })),
    { path: options.home.pluginsDir, kind: 'home' },
    { path: join(resolve(options.cwd ?? process.cwd()), '.marathon', 'plugins'), kind: 'project' },
    ...(env.MARATHON_PLUGIN_PATH ?? '').split(delimiter).filter((path) => path !== '').map((path) => ({ path: resolve(path), kind: 'env' as const })),
    ...(options.configured ?? []).map((path) => ({ path: resolve(path), kind: 'config' as const })),
  ];
  const seen = new Set<string>();
  return paths.filter((entry) => (seen.has(entry.path) ? false : (seen.add(entry.path), true)));
}
