import { spawnSync } from 'node:child_process';

// `@marathon/registry/home` is what the CLI reads before any command runs (which plugin commands
// exist, whether a sync is pending), so it must stay cheap: no npm client, no archive reader, no
// schema library. Checked in a fresh Node process, from the built dist a user gets (no source
// condition), by listing what require() put in its module cache.

function packagesLoadedBy(specifier: string): string[] {
  const script = `
    require(${JSON.stringify(specifier)});
    const files = Object.keys(require.cache).map((file) => file.split(require('node:path').sep).join('/'));
    const packages = files
      .filter((file) => file.includes('/node_modules/') && !file.includes('/@marathon/'))
      .map((file) => file.replace(/.*\\/node_modules\\//, '').split('/'))
      .map((parts) => (parts[0].startsWith('@') ? parts[0] + '/' + parts[1] : parts[0]));
    const own = files.filter((file) => /\\/(packages|node_modules\\/@marathon)\\/[a-z-]+\\/dist\\//.test(file));
    console.log(JSON.stringify({ packages: [...new Set(packages)], own }));`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`node failed for ${specifier}:\n${run.stderr}`);
  const { packages, own } = JSON.parse(run.stdout) as { packages: string[]; own: string[] };
  // Workspace packages are symbolic links to packages/<name>: count them as packages too.
  return [...packages, ...own.map((file) => `@marathon/${/\/([a-z-]+)\/dist\//.exec(file)![1]}`)];
}

describe('@marathon/registry/home', () => {
  it('loads no npm client, archive reader, schema library or manifest', () => {
    const loaded = new Set(packagesLoadedBy('@marathon/registry/home'));
    for (const heavy of ['pacote', 'tar', 'zod', 'semver', '@marathon/manifest'])
      expect([heavy, loaded.has(heavy)]).toEqual([heavy, false]);
    expect(loaded.has('@marathon/registry')).toBe(true);
  });

  it('is the same layout the root exports', () => {
    const script = `
      const home = require('@marathon/registry/home');
      const root = require('@marathon/registry');
      const names = ['marathonHome', 'ownedFolders', 'secureHome', 'stagingOwner', 'stagingPrefix'];
      console.log(JSON.stringify(names.filter((name) => typeof home[name] !== 'function' || home[name] !== root[name])));`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([]);
  });
});
