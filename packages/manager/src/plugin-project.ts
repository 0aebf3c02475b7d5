// `plugin install .` in a plugin project's root — the scaffold's: package.json, src/, node_modules/,
// the build in dist/ — would stage the whole project, and be refused for what a project holds (over
// the size limit because of node_modules/, or its TypeScript). The plugin to install is the build:
// this says so before anything is copied.
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ManagerError } from './errors';

/** Where a plugin project's build lands (the scaffold's build script writes dist/). */
const BUILD_FOLDER = 'dist';

const exists = (path: string, kind: 'file' | 'folder'): Promise<boolean> =>
  stat(path).then(
    (info) => (kind === 'file' ? info.isFile() : info.isDirectory()),
    () => false,
  );

function looksLikePath(request: string): boolean {
  return /^(\.{1,2}|~)?([\\/]|$)/.test(request);
}

/** How the operator writes the build folder from where they are: ./dist, ../x/dist or an absolute path. */
function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  if (isAbsolute(rel)) return path;
  return rel.startsWith('..') ? rel : `.${sep}${rel}`;
}

/** The refusal for a request naming a plugin project's root, or undefined when it does not. */
export async function pluginProjectRefusal(request: string, cwd: string): Promise<ManagerError | undefined> {
  if (!looksLikePath(request)) return undefined;
  const folder = resolve(cwd, request === '~' || request.startsWith('~/') ? join(homedir(), request.slice(1)) : request);
  if (!(await exists(join(folder, 'package.json'), 'file'))) return undefined;
  const build = join(folder, BUILD_FOLDER);
  const built = await exists(join(build, 'plugin.json'), 'file');
  const dependencies = await exists(join(folder, 'node_modules'), 'folder');
  if (!built && !dependencies) return undefined;
  const install = `marathon plugin install ${shown(build, cwd)}`;
  return new ManagerError(
    'PLUGIN_PROJECT',
    built
      ? `${folder} is a plugin project, not the plugin itself: install its build: ${install}`
      : `${folder} is a plugin project (it holds node_modules/, which is no part of a plugin): build it (npm run build), then install its build: ${install}`,
  );
}
