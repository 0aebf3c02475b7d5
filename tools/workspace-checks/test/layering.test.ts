import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJson, workspacePackages, workspaceRoot } from './workspace';

// docs/design.md (Layout): plugin-api ← manifest ← events/security ← registry ← manager ← oclif-plugin ← cli,
// with plugin-testing beside registry, on security, and plugin-kit beside manager, on registry.
// A package may depend only on lower layers.
const LAYERS: Record<string, number> = {
  '@marathon/plugin-api': 0,
  '@marathon/manifest': 1,
  '@marathon/events': 2,
  '@marathon/security': 2,
  '@marathon/registry': 3,
  '@marathon/plugin-testing': 3,
  '@marathon/manager': 4,
  '@marathon/plugin-kit': 4,
  '@marathon/example-plugins': 4,
  '@marathon/oclif-plugin': 5,
  '@marathon/cli': 6,
};

interface NxGraph {
  graph: {
    nodes: Record<string, unknown>;
    dependencies: Record<string, Array<{ source: string; target: string }>>;
  };
}

let graph: NxGraph['graph'];

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'marathon-graph-'));
  try {
    const file = join(dir, 'graph.json');
    const run = spawnSync(process.execPath, [require.resolve('nx/bin/nx.js'), 'graph', `--file=${file}`], {
      cwd: workspaceRoot,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false', CI: 'true', NX_NO_CLOUD: 'true' },
    });
    if (run.status !== 0) throw new Error(`nx graph failed:\n${run.stdout}\n${run.stderr}`);
    graph = readJson<NxGraph>(file).graph;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('the Nx project graph', () => {
  it('knows every workspace package as a project', () => {
    const names = workspacePackages()
      .map((pkg) => pkg.json.name)
      .sort();
    expect(Object.keys(graph.nodes).sort()).toEqual(names);
  });

  it('places every published package in a layer of docs/design.md', () => {
    const unplaced = workspacePackages()
      .filter((pkg) => pkg.json.private !== true && !(pkg.json.name in LAYERS))
      .map((pkg) => pkg.json.name);
    expect(unplaced).toEqual([]);
  });

  it('has dependencies pointing only down the layers', () => {
    const upward: string[] = [];
    const packages = workspacePackages();
    const tools = new Set(packages.filter((pkg) => pkg.json.private === true).map((pkg) => pkg.json.name));
    const runtimeDeps = new Map(
      packages.map((pkg) => [
        pkg.json.name,
        new Set(Object.keys({ ...pkg.json.dependencies, ...pkg.json.peerDependencies, ...pkg.json.optionalDependencies })),
      ]),
    );
    for (const edges of Object.values(graph.dependencies)) {
      for (const { source, target } of edges) {
        if (!(target in graph.nodes)) continue; // npm packages
        if (tools.has(source)) continue; // tools may use anything
        if (tools.has(target)) {
          // A test tool (the local registry) may serve a package's tests, never its users.
          if (runtimeDeps.get(source)?.has(target)) upward.push(`${source} → ${target} (a tool, at run time)`);
          continue;
        }
        const from = LAYERS[source];
        const to = LAYERS[target];
        if (from === undefined || to === undefined || to >= from) upward.push(`${source} → ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('shows the arrows docs/design.md draws between the packages that exist', () => {
    const edges = new Set(Object.values(graph.dependencies).flatMap((list) => list.map(({ source, target }) => `${source} → ${target}`)));
    for (const edge of [
      '@marathon/manifest → @marathon/plugin-api',
      '@marathon/events → @marathon/plugin-api',
      '@marathon/security → @marathon/manifest',
      '@marathon/registry → @marathon/manifest',
      '@marathon/registry → @marathon/security',
      '@marathon/manager → @marathon/registry',
      '@marathon/manager → @marathon/events',
    ]) {
      expect(edges).toContain(edge);
    }
  });

  it('gives plugin-api no runtime dependencies at all', () => {
    const pluginApi = workspacePackages().find((pkg) => pkg.json.name === '@marathon/plugin-api');
    expect(pluginApi?.json.dependencies ?? {}).toEqual({});
  });
});
