// Which files of an author's folder go into `marathon plugin pack`. A plugin folder is usually also
// a working copy: it holds .git, node_modules, .env, an .npmrc with a token, the author's signing
// key. A published tarball is public and permanent, so what is packed is chosen, not "everything":
// a documented default ignore list is left out (and reported), and a file whose content looks like
// a secret stops the pack — unless the author names it with --include, the only way in for either.
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileProblem, PluginFile } from '@marathon/security/trust';

/**
 * Left out of every pack, matched against each name in a path (so at any depth). Folders:
 * version control, dependencies, editor state, project plugins. Files: OS litter, logs, earlier
 * packs, VCS/npm config, and the names secrets live under (.env, .npmrc, .netrc, keys).
 */
export const DEFAULT_PACK_IGNORE: readonly string[] = [
  '.git/',
  '.hg/',
  '.svn/',
  'node_modules/',
  '.marathon/',
  '.idea/',
  '.vscode/',
  '.nyc_output/',
  '.DS_Store',
  'Thumbs.db',
  '*.log',
  '*.tgz',
  '*.swp',
  '.gitignore',
  '.gitattributes',
  '.gitmodules',
  '.npmignore',
  '.editorconfig',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.netrc',
  '.git-credentials',
  '.env',
  '.env.*',
  '*.pem',
  '*.key',
  '*.p12',
  '*.pfx',
  '*.jks',
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
];

/** What in a file's content marks it as a secret: never echoed, only named. */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/, 'a private key'],
  [/(^|[\s;])(\/\/\S*:)?_(authToken|auth|password)\s*=/m, 'npm registry credentials'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm access token'],
  [/\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}/, 'a GitHub token'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
];

export interface SecretFinding {
  path: string;
  line: number;
  /** What it looks like ("a private key"), never the value. */
  kind: string;
}

export interface PackSelection {
  files: PluginFile[];
  /** What cannot be packed at all (symbolic links, unreadable entries), outside the ignored parts. */
  problems: FileProblem[];
  /** Left out by the default ignore list: `node_modules/` for a folder, the path for a file. */
  ignored: string[];
  /** Files that look like secrets and were not named with --include. */
  secrets: SecretFinding[];
}

function globMatches(pattern: string, name: string): boolean {
  const body = pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
  const regex = new RegExp(
    `^${body
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(name);
}

function ignoredName(name: string, isFolder: boolean): boolean {
  return DEFAULT_PACK_IGNORE.some((pattern) => (pattern.endsWith('/') ? isFolder : !isFolder) && globMatches(pattern, name));
}

function secretIn(text: string): { line: number; kind: string } | undefined {
  for (const [pattern, kind] of SECRET_PATTERNS) {
    const match = pattern.exec(text);
    // A pattern may begin with the separator before the secret: count lines from the secret itself.
    if (match !== null)
      return { line: text.slice(0, match.index + match[0].length - match[0].trimStart().length).split('\n').length, kind };
  }
  return undefined;
}

/** Normalises --include values to relative POSIX paths without ./ or a trailing slash. */
function normalise(include: readonly string[]): string[] {
  return include
    .map((path) =>
      path
        .replace(/\\/g, '/')
        .replace(/^(\.\/)+/, '')
        .replace(/\/+$/, ''),
    )
    .filter((path) => path !== '' && path !== '.');
}

/**
 * Chooses the files to pack from `root`. An ignored folder is not even read unless something
 * inside it is included (a big node_modules costs nothing). `include` names files or folders,
 * relative to `root`, packed whatever the ignore list or the secret check says.
 */
export async function selectPackFiles(
  root: string,
  includeOption: readonly string[] = [],
  maxFileBytes = Number.MAX_SAFE_INTEGER,
): Promise<PackSelection & { unmatched: string[] }> {
  const include = normalise(includeOption);
  const matched = new Set<string>();
  const included = (path: string) => {
    const hit = include.find((entry) => path === entry || path.startsWith(`${entry}/`));
    if (hit !== undefined) matched.add(hit);
    return hit !== undefined;
  };
  const leadsToInclude = (folder: string) => include.some((entry) => entry.startsWith(`${folder}/`));
  const selection: PackSelection = { files: [], problems: [], ignored: [], secrets: [] };

  async function walk(dir: string, prefix: string, insideIgnored: boolean): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch (error) {
      selection.problems.push({ path: prefix || '.', reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    for (const name of names) {
      const path = `${prefix}${name}`;
      let info;
      try {
        info = await lstat(join(dir, name));
      } catch (error) {
        selection.problems.push({ path, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
        continue;
      }
      const ignored = insideIgnored || ignoredName(name, info.isDirectory());
      if (info.isDirectory()) {
        if (!ignored || included(path)) await walk(join(dir, name), `${path}/`, false);
        else if (leadsToInclude(path)) await walk(join(dir, name), `${path}/`, true);
        else selection.ignored.push(`${path}/`);
        continue;
      }
      const named = included(path);
      if (ignored && !named) {
        selection.ignored.push(path);
        continue;
      }
      if (!info.isFile()) {
        selection.problems.push({ path, reason: info.isSymbolicLink() ? 'is a symbolic link' : 'is not a regular file' });
        continue;
      }
      if (info.size > maxFileBytes) {
        // Over what a whole plugin may be: the pack is refused anyway, without reading it into memory.
        selection.problems.push({ path, reason: `is ${info.size} bytes, over the ${maxFileBytes} a plugin may be` });
        continue;
      }
      if (!named) {
        const secret = secretIn(await readFile(join(dir, name), 'latin1'));
        if (secret !== undefined) {
          selection.secrets.push({ path, ...secret });
          continue;
        }
      }
      selection.files.push({ path, size: info.size });
    }
  }
  await walk(root, '', false);
  return { ...selection, unmatched: include.filter((entry) => !matched.has(entry)) };
}
