// docs/architecture.md is where a newcomer finds where a behaviour lives, so it must not go stale
// silently: every package, entry point, dependency and file it names has to exist, and every
// package and entry point of the workspace has to be named in it. A rename or a new entry point
// then fails here until the page says so.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { workspacePackages, workspaceRoot, type WorkspacePackage } from './workspace';

const doc = readFileSync(join(workspaceRoot, 'docs', 'architecture.md'), 'utf8');
const packages = workspacePackages();

/** Everything the page writes as inline code. */
const codeSpans = [...doc.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!);

/** `@marathon/x` for the root entry point, `@marathon/x/sub` for `./sub`; package.json itself is not one. */
function entryPoints(pkg: WorkspacePackage): string[] {
  return Object.keys(pkg.json.exports ?? {})
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? pkg.json.name : `${pkg.json.name}${key.slice(1)}`));
}

/** The export conditions the packages use (`@marathon/source`): named by the page, but not entry points. */
function exportConditions(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [...(key.startsWith('.') ? [] : [key]), ...exportConditions(inner)]);
}

/** Every file under the workspace's src/ folders, as a path from the root. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : [relative(workspaceRoot, path)];
  });
}

const REPO_PATH = /^(packages|plugins|apps|tools|docs|scripts)\//;

describe('docs/architecture.md', () => {
  it('names every workspace package', () => {
    const unnamed = packages.map((pkg) => pkg.json.name).filter((name) => !codeSpans.includes(name));
    expect(unnamed).toEqual([]);
  });

  it('names every entry point of every published package', () => {
    const unnamed = packages.flatMap(entryPoints).filter((entry) => !codeSpans.includes(entry));
    expect(unnamed).toEqual([]);
  });

  it('names no package or entry point that does not exist', () => {
    const known = new Set([
      ...packages.flatMap(entryPoints),
      ...packages.map((pkg) => pkg.json.name),
      ...packages.flatMap((pkg) => exportConditions(pkg.json.exports)),
    ]);
    const unknown = codeSpans.filter((span) => /^@marathon\/[a-z-]+/.test(span) && !span.includes('*') && !known.has(span));
    expect(unknown).toEqual([]);
  });

  it('cites only paths that exist', () => {
    const missing = codeSpans.filter((span) => REPO_PATH.test(span) && !existsSync(join(workspaceRoot, span)));
    expect(missing).toEqual([]);
  });

  it('cites only source files that exist, when it names them by their name alone', () => {
    const files = packages.flatMap((pkg) => (existsSync(join(pkg.dir, 'src')) ? sourceFiles(join(pkg.dir, 'src')) : []));
    const missing = codeSpans
      .filter((span) => !REPO_PATH.test(span) && /^[\w./-]+\.(ts|js|mjs|cjs)$/.test(span))
      .filter((span) => !files.some((file) => file.endsWith(`/${span}`)));
    expect(missing).toEqual([]);
  });

  it("lists each package's folder, layer and dependencies as they are", () => {
    // The table's rows: | `@marathon/x` | `folder` | layer | short names of its @marathon dependencies |
    const rows = [...doc.matchAll(/^\| `(@marathon\/[a-z-]+)` \| `([^`]+)` \| (\d+) \| ([^|]+) \|$/gm)].map((match) => ({
      name: match[1]!,
      folder: match[2]!,
      layer: Number(match[3]),
      dependsOn: match[4]!.trim() === 'nothing at all' ? [] : match[4]!.split(',').map((dep) => `@marathon/${dep.trim()}`),
    }));
    const published = packages.filter((pkg) => pkg.json.private !== true);
    expect(rows.map((row) => row.name).sort()).toEqual(published.map((pkg) => pkg.json.name).sort());
    // The layers are the layering test's (its LAYERS table), read from its source.
    const layeringSource = readFileSync(join(__dirname, 'layering.test.ts'), 'utf8');
    const layers = Object.fromEntries(
      [...layeringSource.matchAll(/'(@marathon\/[a-z-]+)': (\d+),/g)].map((match) => [match[1]!, Number(match[2])]),
    );
    for (const row of rows) {
      const pkg = published.find((entry) => entry.json.name === row.name)!;
      const dependencies = Object.keys(pkg.json.dependencies ?? {}).filter((dep) => dep.startsWith('@marathon/'));
      expect({ name: row.name, folder: row.folder, layer: row.layer, dependsOn: [...row.dependsOn].sort() }).toEqual({
        name: row.name,
        folder: relative(workspaceRoot, pkg.dir),
        layer: layers[row.name],
        dependsOn: dependencies.sort(),
      });
    }
  });
});
