// P6: installing one plugin from a local npm registry (Verdaccio on 127.0.0.1) with the real
// `marathon` binary, against `npm install --no-save` of the same package in a temp folder, side by
// side (fresh process, empty home / empty cache each time, rounds alternating); and syncing a
// 50-plugin lockfile onto an empty host, against `npm install` of the same 50 packages; on this
// Node and on Node 24 (lib/node-versions.mjs), each tool running on the Node of its row.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { median } from '../lib/measure.mjs';
import { nodeBinaries, npmCli } from '../lib/node-versions.mjs';
import { result, table } from '../lib/report.mjs';

const require = createRequire(import.meta.url);
const { startRegistry } = require('@marathon/test-registry');
const MARATHON = join(dirname(require.resolve('@marathon/cli/package.json')), 'bin', 'run.js');
const HELLO = join(dirname(require.resolve('@marathon/example-plugins/package.json')), 'plugins', 'hello-world');
const ROUNDS = 7;
const FLEET = 50;

function timed(command, args, options) {
  const started = performance.now();
  const run = spawnSync(command, args, { encoding: 'utf8', ...options });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${run.stdout}${run.stderr}`);
  return ms;
}

function fresh(root, name) {
  const dir = mkdtempSync(join(root, `${name}-`));
  return dir;
}

function marathonEnv(home, registry) {
  return { PATH: process.env.PATH, HOME: home, MARATHON_HOME: join(home, 'marathon'), MARATHON_REGISTRY: registry.url, CI: '1' };
}

function npmEnv(dir) {
  return {
    ...process.env,
    HOME: dir,
    npm_config_cache: join(dir, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
}

function generatePlugin(root, index) {
  const dir = join(root, 'fleet-src', `fleet-plugin-${index}`);
  mkdirSync(dir, { recursive: true });
  const name = `fleet-plugin-${index}`;
  writeFileSync(
    join(dir, 'plugin.json'),
    JSON.stringify({
      name,
      version: '1.0.0',
      description: `Fleet plugin ${index}`,
      api_version: '1.0.0',
      permissions: ['task_read'],
      hooks: ['post_task_execute'],
      commands: ['hello'],
    }),
  );
  writeFileSync(
    join(dir, 'index.js'),
    `import { definePlugin, success } from '@marathon/plugin-api';\nexport default definePlugin({ ` +
      `hooks: { post_task_execute: () => success() }, commands: { hello: () => 'hi from ${index}' } });\n`,
  );
  return dir;
}

export async function run({ quick = false } = {}) {
  // Quick: a 2-plugin fleet (each plugin costs a pack, a publish and an install) and one round of
  // each, to prove the benchmark runs.
  const fleet = quick ? 2 : FLEET;
  const rounds = quick ? 1 : ROUNDS;
  const syncRounds = quick ? 1 : 3;
  const root = mkdtempSync(join(tmpdir(), 'marathon-bench-install-'));
  const { nodes, missing } = nodeBinaries({ quick });
  const registry = await startRegistry();
  try {
    registry.publish(HELLO);
    // The fleet: 50 plugins packed by marathon and published with npm.
    const packer = fresh(root, 'packer');
    const names = [];
    for (let i = 0; i < fleet; i++) {
      const out = join(root, 'fleet-out');
      timed(process.execPath, [MARATHON, 'plugin', 'pack', generatePlugin(root, i), '--output', out], {
        env: marathonEnv(packer, registry),
      });
      registry.publish(join(out, `fleet-plugin-${i}-1.0.0.tgz`));
      names.push(`fleet-plugin-${i}`);
    }
    // The lockfile: a host with all 50 installed and enabled.
    const source = fresh(root, 'source');
    for (const name of names)
      timed(process.execPath, [MARATHON, 'plugin', 'install', `${name}@1.0.0`, '--enable'], { env: marathonEnv(source, registry) });
    const lock = join(root, 'fleet.lock.json');
    timed(process.execPath, [MARATHON, 'plugin', 'export', '--output', lock], { env: marathonEnv(source, registry) });

    const npm = npmCli();
    const results = [];
    const rows = [['measure', 'marathon (ms)', 'npm (ms)', 'ratio']];
    for (const node of nodes) {
      const installOnce = {
        marathon: () => {
          const home = fresh(root, 'm');
          return timed(node.path, [MARATHON, 'plugin', 'install', 'hello-world@1.0.0'], { env: marathonEnv(home, registry) });
        },
        npm: () => {
          const dir = fresh(root, 'n');
          writeFileSync(join(dir, 'package.json'), '{"name":"bench","version":"1.0.0","private":true}');
          return timed(node.path, [npm, 'install', '--no-save', 'hello-world@1.0.0', '--registry', `${registry.url}/`], {
            cwd: dir,
            env: npmEnv(dir),
          });
        },
      };
      const samples = { marathon: [], npm: [] };
      if (!quick) {
        installOnce.marathon();
        installOnce.npm();
      }
      for (let round = 0; round < rounds; round++) {
        for (const name of round % 2 === 0 ? ['marathon', 'npm'] : ['npm', 'marathon']) samples[name].push(installOnce[name]());
      }
      const sync = [];
      const npmFleet = [];
      for (let round = 0; round < syncRounds; round++) {
        const home = fresh(root, 's');
        sync.push(timed(node.path, [MARATHON, 'plugin', 'sync', lock], { env: marathonEnv(home, registry) }));
        const dir = fresh(root, 'n50');
        writeFileSync(join(dir, 'package.json'), '{"name":"bench","version":"1.0.0","private":true}');
        npmFleet.push(
          timed(node.path, [npm, 'install', '--no-save', ...names.map((name) => `${name}@1.0.0`), '--registry', `${registry.url}/`], {
            cwd: dir,
            env: npmEnv(dir),
          }),
        );
      }
      const m = median(samples.marathon);
      const n = median(samples.npm);
      const s = median(sync);
      const n50 = median(npmFleet);
      rows.push(
        [`install hello-world@1.0.0 (fresh process, empty home/cache) — ${node.label}`, m, n, `${(m / n).toFixed(2)}×`],
        [
          `sync a ${fleet}-plugin lockfile onto an empty host (all enabled) vs npm install of the same ${fleet} — ${node.label}`,
          s,
          n50,
          `${(s / n50).toFixed(2)}×`,
        ],
        [`sync per plugin (ms) — ${node.label}`, s / fleet, n50 / fleet, ''],
      );
      results.push(
        result('P6', `ratio_install_vs_npm_${node.label}`, m / n, '<=', 0.8),
        result('P6s', `ratio_sync_${fleet}_vs_npm_${node.label}`, s / n50, '<=', 1.0),
      );
    }
    return {
      title: 'install: one plugin from a local npm registry, and a 50-plugin sync',
      table: table(rows),
      notes: [
        `Verdaccio 6.5 on 127.0.0.1, no uplinks; medians of ${rounds} alternating rounds for the single install, ${syncRounds} for the sync.`,
        `Node binaries: ${nodes.map((node) => `${node.label} = ${node.version}`).join(', ')}` +
          (missing === undefined ? '.' : `; ${missing}.`) +
          ' marathon and npm both run on the Node of their row (npm as `<node> npm-cli.js`).',
        'marathon install = resolve and fetch with pacote (integrity checked), unpack with ' +
          'the archive guards, manifest, policy, code scan, signature, atomic locked state ' +
          'write. npm install = resolve, fetch, unpack, write package-lock and node_modules.',
        'marathon sync also enables every plugin, which loads each once in the sandbox (integrity check, engine, init) — npm has no equivalent step.',
      ],
      results,
    };
  } finally {
    await registry.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
