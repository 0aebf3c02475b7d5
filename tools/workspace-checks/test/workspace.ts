import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export const workspaceRoot = join(__dirname, '..', '..', '..');

/** The built marathon binary, as users run it (`node apps/cli/bin/run.js`). */
export const marathonBin = join(workspaceRoot, 'apps', 'cli', 'bin', 'run.js');

export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  license?: string;
  engines?: { node?: string };
  main?: string;
  types?: string;
  exports?: Record<string, unknown>;
  files?: string[];
  scripts?: Record<string, string>;
  publishConfig?: { access?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export interface WorkspacePackage {
  dir: string;
  json: PackageJson;
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Every package the root package.json's workspaces globs (one level, `dir/*`) find. */
export function workspacePackages(): WorkspacePackage[] {
  const root = readJson<{ workspaces: string[] }>(join(workspaceRoot, 'package.json'));
  return root.workspaces.flatMap((glob) => {
    const parent = join(workspaceRoot, glob.replace(/\/\*$/, ''));
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(parent, entry.name, 'package.json')))
      .map((entry) => {
        const dir = join(parent, entry.name);
        return { dir, json: readJson<PackageJson>(join(dir, 'package.json')) };
      });
  });
}

export const publishable = (): WorkspacePackage[] => workspacePackages().filter((pkg) => pkg.json.private !== true);
