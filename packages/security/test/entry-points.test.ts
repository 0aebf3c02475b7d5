import { spawnSync } from 'node:child_process';

// The package has two jobs with different dependency footprints: running plugins (QuickJS, worker
// threads) and the install-time gate (acorn, tar, zod). Each has its own entry point so a host
// that needs one side never loads the other. Checked in a fresh Node process, from the built dist
// a user gets (no source condition), by listing what require() put in its module cache.

interface Loaded {
  /** Files of this package, relative to its dist folder: "sandbox/sandbox-host.js". */
  own: string[];
  /** npm packages: "acorn", "@jitl/quickjs-wasmfile-release-sync". */
  packages: string[];
}

function loadedBy(specifier: string): Loaded {
  const script = `
    require(${JSON.stringify(specifier)});
    const files = Object.keys(require.cache).map((file) => file.split(require('node:path').sep).join('/'));
    const own = files.filter((file) => file.includes('/security/dist/')).map((file) => file.replace(/.*\\/security\\/dist\\//, ''));
    const packages = files
      .filter((file) => file.includes('/node_modules/') && !file.includes('/@marathon/'))
      .map((file) => file.replace(/.*\\/node_modules\\//, '').split('/'))
      .map((parts) => (parts[0].startsWith('@') ? parts[0] + '/' + parts[1] : parts[0]));
    console.log(JSON.stringify({ own, packages: [...new Set(packages)] }));`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`node failed for ${specifier}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Loaded;
}

const SCANNER_PACKAGES = ['acorn', 'acorn-walk', 'tar', 'zod'];
const SANDBOX_PACKAGES = ['quickjs-emscripten-core', '@jitl/quickjs-wasmfile-release-sync'];

describe('entry points', () => {
  it('@marathon/security/sandbox loads none of the trust gate: no scanner, archive or policy schema', () => {
    const loaded = loadedBy('@marathon/security/sandbox');
    expect(loaded.own).toContain('sandbox/sandbox-host.js');
    expect(loaded.own.filter((file) => file.startsWith('trust/'))).toEqual([]);
    expect(loaded.packages.filter((name) => SCANNER_PACKAGES.includes(name))).toEqual([]);
  });

  it('@marathon/security/trust loads none of the sandbox: no QuickJS, no worker code', () => {
    const loaded = loadedBy('@marathon/security/trust');
    expect(loaded.own).toContain('trust/trust-gate.js');
    // The one table it shares with ctx.exec (which commands amount to a shell) is plain data.
    expect(loaded.own.filter((file) => file.startsWith('sandbox/') || file === 'audit-trail.js' || file === 'errors.js')).toEqual([]);
    expect(loaded.packages.filter((name) => SANDBOX_PACKAGES.includes(name))).toEqual([]);
  });

  it('the root re-exports both sides, unchanged', () => {
    const script = `
      const root = require('@marathon/security');
      const sides = [require('@marathon/security/sandbox'), require('@marathon/security/trust')];
      const names = sides.flatMap((side) => Object.keys(side));
      const mismatched = names.filter((name) => root[name] !== sides.find((side) => name in side)[name]);
      console.log(JSON.stringify({ root: Object.keys(root).sort(), names: names.sort(), mismatched }));`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const { root, names, mismatched } = JSON.parse(run.stdout) as { root: string[]; names: string[]; mismatched: string[] };
    expect(root).toEqual(names);
    expect(root).toEqual(expect.arrayContaining(['SandboxHost', 'SandboxError', 'inspectPlugin', 'scanSource', 'DEFAULT_POLICY']));
    expect(mismatched).toEqual([]);
  });
});
