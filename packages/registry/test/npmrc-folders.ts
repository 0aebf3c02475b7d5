// The folders the npmrc tests read from, fresh for each test: a home (the user .npmrc), a project
// (its .npmrc) and a prefix whose etc/npmrc is the global file — so that the machine's own npm
// configuration never reaches a test.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readNpmConfig } from '../src/npm-config';
import type { NpmSettings } from '../src/npm-config';

export interface NpmrcFolders {
  readonly root: string;
  readonly home: string;
  readonly project: string;
  /** The global npmrc: <root>/prefix/etc/npmrc. */
  readonly globalRc: string;
  /** Writes `lines` to `file`, one a line. */
  write(file: string, lines: string[]): void;
  /** readNpmConfig from the project, with this home and prefix and `env` on top. */
  read(env?: NodeJS.ProcessEnv, registry?: string): NpmSettings;
}

/** Registers the hooks that make (before each test) and remove (after it) the folders. */
export function useNpmrcFolders(label: string): NpmrcFolders {
  let root = '';
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), label));
    mkdirSync(join(root, 'home'));
    mkdirSync(join(root, 'project'));
    mkdirSync(dirname(join(root, 'prefix', 'etc', 'npmrc')), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const folders: NpmrcFolders = {
    get root() {
      return root;
    },
    get home() {
      return join(root, 'home');
    },
    get project() {
      return join(root, 'project');
    },
    get globalRc() {
      return join(root, 'prefix', 'etc', 'npmrc');
    },
    write: (file, lines) => writeFileSync(file, `${lines.join('\n')}\n`),
    read: (env = {}, registry) =>
      readNpmConfig({
        cwd: folders.project,
        ...(registry === undefined ? {} : { registry }),
        env: { HOME: folders.home, npm_config_prefix: join(root, 'prefix'), ...env },
      }),
  };
  return folders;
}
