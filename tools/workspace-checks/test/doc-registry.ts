// The npm registry a doc's console session installs from: the one `npm run registry:local` starts
// (Verdaccio on 127.0.0.1, the public @marathon packages published by `changeset publish`), started
// through the same code. This machine has no network, so it also serves, from the workspace's
// node_modules, the third-party packages the session installs: what a scaffold made by the real
// `marathon plugin new` asks for, and the names the doc passes to `npm install`. The session's npm
// gets this registry for every package, so anything missing is a loud 404, never a request elsewhere.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRegistry, type LocalRegistry } from '@marathon/local-registry';

const isInstall = ([command, sub]: string[]): boolean => command === 'npm' && (sub === 'install' || sub === 'i' || sub === 'ci');

/** Whether a session's commands install from a registry. */
export const installsPackages = (commands: string[][]): boolean => commands.some(isInstall);

/** The packages named by `npm install <name>…` / `npm i <name>…` commands (flags and the bare form add none). */
export function namedInstalls(commands: string[][]): string[] {
  return commands.filter(isInstall).flatMap(([, , ...words]) => words.filter((word) => !word.startsWith('-')));
}

/** What the package.json of a project made by the real `marathon plugin new` depends on. */
export function scaffoldNeeds(marathon: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'marathon-scaffold-probe-'));
  try {
    const made = spawnSync(process.execPath, [marathon, 'plugin', 'new', 'probe', '--dir', dir], {
      encoding: 'utf8',
      env: { ...process.env, MARATHON_HOME: join(dir, 'home') },
    });
    if (made.status !== 0) throw new Error(`marathon plugin new failed:\n${made.stdout}${made.stderr}`);
    const pkg = JSON.parse(readFileSync(join(dir, 'probe', 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface DocRegistry {
  registry: LocalRegistry;
  /** Environment for the session's npm: this registry for everything, a cache of the session's own. */
  env: NodeJS.ProcessEnv;
}

export async function startDocRegistry(packages: string[], sessionRoot: string): Promise<DocRegistry> {
  const registry = await startLocalRegistry({ serveFromNodeModules: [...new Set(packages)] });
  return {
    registry,
    env: {
      npm_config_registry: registry.url,
      // A fresh cache under the session root: nothing comes from (or lands in) ~/.npm, and every
      // tarball is fetched from the registry above, so a missing one fails the session.
      npm_config_cache: join(sessionRoot, 'npm-cache'),
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    },
  };
}
