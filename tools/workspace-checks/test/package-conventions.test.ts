import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishable, readJson, workspaceRoot } from './workspace';

const rootEngines = readJson<{ engines: { node: string } }>(join(workspaceRoot, 'package.json')).engines.node;
const packages = publishable().map((pkg) => [pkg.json.name, pkg] as const);

describe.each(packages)('%s', (name, pkg) => {
  const { json, dir } = pkg;

  it('is named for its folder, under @marathon', () => {
    expect(name).toMatch(/^@marathon\/[a-z][a-z-]*$/);
    expect(name.endsWith(`/${dir.split('/').pop()}`)).toBe(true);
  });

  it('states what it is, its licence, and the Node versions it runs on', () => {
    expect(json.description?.length ?? 0).toBeGreaterThan(20);
    expect(json.license).toBe('MIT');
    expect(json.engines?.node).toBe(rootEngines);
    expect(json.publishConfig?.access).toBe('public');
  });

  it('exports types and code from dist, and its sources under the @marathon/source condition', () => {
    const main = json.exports?.['.'] as Record<string, string>;
    expect(Object.keys(main)).toEqual(['@marathon/source', 'types', 'default']);
    expect(main['@marathon/source']).toBe('./src/index.ts');
    expect(main.types).toBe('./dist/index.d.ts');
    expect(main.default).toBe('./dist/index.js');
    expect(json.types).toBe(main.types);
    expect(json.main).toBe(main.default);
    expect(existsSync(join(dir, 'src', 'index.ts'))).toBe(true);
  });

  it('publishes dist and its README, and builds with tsc', () => {
    expect(json.files).toEqual(expect.arrayContaining(['dist', 'README.md']));
    expect(json.scripts?.build).toMatch(/^tsc -b tsconfig\.lib\.json/);
  });

  it('has a README that states its one job', () => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme.startsWith(`# ${name}\n`)).toBe(true);
    expect(readme).toMatch(/\*\*One job:\*\*/);
  });

  it('pins workspace dependencies to their current versions', () => {
    for (const [dep, range] of Object.entries(json.dependencies ?? {})) {
      if (!dep.startsWith('@marathon/')) continue;
      const target = publishable().find((other) => other.json.name === dep);
      expect(`${dep}@${range}`).toBe(`${dep}@${target?.json.version}`);
    }
  });
});
