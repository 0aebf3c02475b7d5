// Where plugins are discovered, in precedence order: the built-in examples a host ships, the
// home's drop-in folder, $MARATHON_PLUGIN_PATH and configured entries, and — only when opted in
// with MARATHON_PROJECT_PLUGINS=1 — the working directory's .marathon/plugins, last. A name found
// in two places is taken from the first.
//
// Why the project folder is opt-in and last: the working directory is often a repository someone
// else wrote (a clone, a pull request). Searched by default and before the operator's own folders,
// its .marathon/plugins could put a plugin of its choosing behind any name an operator installs,
// updates or pulls in as a dependency.
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
  /** The project folder whose .marathon/plugins is searched (when opted in). Default: the working directory. */
  cwd?: string;
  /** Search the project's .marathon/plugins (last). Default: $MARATHON_PROJECT_PLUGINS is 1 or true. */
  project?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Extra folders from configuration. */
  configured?: readonly string[];
}

/** MARATHON_PROJECT_PLUGINS: 1 or true opts in to the working directory's .marathon/plugins. */
export function projectPluginsFromEnv(env: NodeJS.ProcessEnv): boolean {
  return /^(1|true)$/i.test(env.MARATHON_PROJECT_PLUGINS?.trim() ?? '');
}

export function searchPaths(options: SearchPathOptions): SearchPath[] {
  const env = options.env ?? process.env;
  const paths: SearchPath[] = [
    ...(options.builtIn ?? []).map((path) => ({ path: resolve(path), kind: 'builtin' as const })),
    { path: options.home.pluginsDir, kind: 'home' },
    ...(env.MARATHON_PLUGIN_PATH ?? '')
      .split(delimiter)
      .filter((path) => path !== '')
      .map((path) => ({ path: resolve(path), kind: 'env' as const })),
    ...(options.configured ?? []).map((path) => ({ path: resolve(path), kind: 'config' as const })),
    ...((options.project ?? projectPluginsFromEnv(env))
      ? [{ path: join(resolve(options.cwd ?? process.cwd()), '.marathon', 'plugins'), kind: 'project' as const }]
      : []),
  ];
  const seen = new Set<string>();
  return paths.filter((entry) => (seen.has(entry.path) ? false : (seen.add(entry.path), true)));
}
