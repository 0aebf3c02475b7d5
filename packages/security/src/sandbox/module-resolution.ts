// How a plugin's imports resolve inside the sandbox. Module names are paths rooted at the plugin
// folder ('/index.js'); the only other name is '@marathon/plugin-api'. Anything else — a bare
// package, a node: built-in, an absolute path, a '..' that climbs out, a symlink that points out —
// fails to load with an error naming the import. The normaliser cannot report errors (QuickJS
// swallows them), so it marks refusals and the loader turns the mark into the error.
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { isInside } from '../capabilities/path-inside';

export const API_MODULE = '@marathon/plugin-api';
const REFUSED = 'marathon-refused:';
export const MAX_MODULE_BYTES = 1024 * 1024;

/** The module name for `requested` imported from module `base`, or a refusal mark. */
export function normalizeImport(base: string, requested: string): string {
  if (requested === API_MODULE) return API_MODULE;
  if (!requested.startsWith('./') && !requested.startsWith('../')) return REFUSED + requested;
  const segments = base.split('/').slice(1, -1);
  for (const part of requested.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (segments.length === 0) return REFUSED + requested;
      segments.pop();
    } else segments.push(part);
  }
  return `/${segments.join('/')}`;
}

export type ModuleSource = { ok: true; source: string } | { ok: false; message: string; request: string };

function refusal(request: string, why: string): ModuleSource {
  return { ok: false, request, message: `cannot import '${request}': ${why}` };
}

/** The source of a module name produced by normalizeImport, read from `pluginRealDir`. */
export function loadModuleSource(name: string, pluginRealDir: string, apiSource: string): ModuleSource {
  if (name === API_MODULE) return { ok: true, source: apiSource };
  if (name.startsWith(REFUSED)) {
    const request = name.slice(REFUSED.length);
    const why =
      request.startsWith('/') || request.startsWith('file:')
        ? 'absolute imports are not allowed'
        : request.startsWith('../')
          ? 'it is outside the plugin folder'
          : 'a plugin may import only files in its own folder and @marathon/plugin-api';
    return refusal(request, why);
  }
  const request = `.${name}`;
  if (!/\.m?js$/.test(name)) return refusal(request, 'only .js and .mjs files can be imported');
  const path = join(pluginRealDir, name);
  try {
    const real = realpathSync(path);
    if (!isInside(pluginRealDir, real)) return refusal(request, 'it leads outside the plugin folder (through a symbolic link)');
    const info = lstatSync(real);
    if (!info.isFile()) return refusal(request, 'it is not a file');
    if (info.size > MAX_MODULE_BYTES) return refusal(request, `it is larger than ${MAX_MODULE_BYTES} bytes`);
    return { ok: true, source: readFileSync(real, 'utf8') };
  } catch {
    return refusal(request, 'no such file in the plugin folder');
  }
}
