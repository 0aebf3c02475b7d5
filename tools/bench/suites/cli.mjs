// P3v, P3, P3c: cold start of the real `marathon` binary — `--version`, `plugin list` and a plugin
// command, with 1 and 100 installed plugins of 10 commands each — against a bare oclif 4 CLI's
// `--version` on the same Node, in one run, on this Node and on Node 24 (lib/node-versions.mjs).
// Each measurement is a fresh process, timed from spawn to exit (wall clock), rounds alternating
// between the commands so that a busy machine's drift hits all of them alike.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { PluginManager } from '@marathon/manager';
import { median } from '../lib/measure.mjs';
import { nodeBinaries } from '../lib/node-versions.mjs';
import { result, table } from '../lib/report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const BARE = join(here, '..', 'fixtures', 'bare-oclif-cli', 'bin', 'run.js');
const MARATHON = join(dirname(createRequire(import.meta.url).resolve('@marathon/cli/package.json')), 'bin', 'run.js');
const ROUNDS = 11;

/** A home with `count` enabled plugins, each with 10 commands and one hook, installed through the manager. */
async function homeWith(root, count) {
  const plugins = join(root, `plugins-${count}`);
  for (let i = 0; i < count; i++) {
    const dir = join(plugins, `plugin-${i}`);
    mkdirSync(dir, { recursive: true });
    const commands = Array.from({ length: 10 }, (_, c) => ({
      name: `cmd${c}`,
      description: `Command ${c} of plugin ${i}`,
      usage: '<arg>',
    }));
    writeFileSync(
      join(dir, 'plugin.json'),
      JSON.stringify({
        name: `plugin-${i}`,
        version: '1.0.0',
        description: `Generated plugin ${i}`,
        api_version: '1.0.0',
        permissions: ['task_read'],
        hooks: ['post_task_execute'],
        commands,
      }),
    );
    const handlers = commands.map((c) => `${c.name}: (ctx, args) => '${c.name} ' + args.join(' ')`).join(', ');
    writeFileSync(
      join(dir, 'index.js'),
      `import { definePlugin, success } from '@marathon/plugin-api';\nexport default ` +
        `definePlugin({ hooks: { post_task_execute: () => success() }, commands: { ${handlers} } });\n`,
    );
  }
  const home = join(root, `home-${count}`);
  const manager = await PluginManager.open({ home, builtInPlugins: [plugins] });
  for (let i = 0; i < count; i++) {
    await manager.install(`plugin-${i}`);
    await manager.enable(`plugin-${i}`);
  }
  await manager.close();
  return home;
}

function timeOnce(node, bin, args, home, expect) {
  const started = performance.now();
  const outcome = spawnSync(node, [bin, ...args], {
    env: { PATH: process.env.PATH, HOME: home, MARATHON_HOME: home },
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  if (outcome.status !== 0 || !outcome.stdout.includes(expect))
    throw new Error(`${args.join(' ')} failed (${outcome.status}): ${outcome.stderr}${outcome.stdout}`);
  return ms;
}

/** The commands measured on one Node binary; the first is the baseline the others are divided by. */
function casesOn(node, homes, many) {
  const on = (name) => `${name} — ${node.label}`;
  return [
    { name: on('bare oclif 4 CLI --version'), bin: BARE, args: ['--version'], home: homes[1], expect: 'bare-oclif-cli/' },
    { name: on(`marathon --version (${many} plugins)`), bin: MARATHON, args: ['--version'], home: homes[many], expect: '@marathon/cli/' },
    { name: on('marathon plugin list (1 plugin)'), bin: MARATHON, args: ['plugin', 'list'], home: homes[1], expect: 'Summary: 1 total' },
    {
      name: on(`marathon plugin list (${many} plugins)`),
      bin: MARATHON,
      args: ['plugin', 'list'],
      home: homes[many],
      expect: `Summary: ${many} total`,
    },
    { name: on('marathon plugin-0:cmd3 (1 plugin)'), bin: MARATHON, args: ['plugin-0:cmd3', 'x'], home: homes[1], expect: 'cmd3 x' },
    {
      name: on(`marathon plugin-0:cmd3 (${many} plugins)`),
      bin: MARATHON,
      args: ['plugin-0:cmd3', 'x'],
      home: homes[many],
      expect: 'cmd3 x',
    },
  ].map((c) => ({ ...c, node: node.path }));
}

export async function run({ quick = false } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'marathon-bench-cli-'));
  // Quick: 2 plugins stand in for 100, one round, no warm-up pass and this Node only; the labels say what ran.
  const many = quick ? 2 : 100;
  const rounds = quick ? 1 : ROUNDS;
  const { nodes, missing } = nodeBinaries({ quick });
  try {
    const homes = { 1: await homeWith(root, 1), [many]: await homeWith(root, many) };
    const byNode = nodes.map((node) => ({ node, cases: casesOn(node, homes, many) }));
    const cases = byNode.flatMap((entry) => entry.cases);
    const samples = new Map(cases.map((c) => [c.name, []]));
    if (!quick) for (const c of cases) timeOnce(c.node, c.bin, c.args, c.home, c.expect); // warm the page cache (and Node 24's compile cache)
    for (let round = 0; round < rounds; round++) {
      for (const c of round % 2 === 0 ? cases : [...cases].reverse())
        samples.get(c.name).push(timeOnce(c.node, c.bin, c.args, c.home, c.expect));
    }
    const ms = Object.fromEntries(cases.map((c) => [c.name, median(samples.get(c.name))]));
    const rows = [['command', 'median wall ms', 'vs bare oclif --version on the same Node']];
    const results = [];
    for (const { node, cases: own } of byNode) {
      const bare = ms[own[0].name];
      rows.push(...own.map((c) => [c.name, ms[c.name], `${(ms[c.name] / bare).toFixed(2)}×`]));
      const ratio = (index) => ms[own[index].name] / bare;
      results.push(
        result('P3v', `ratio_version_${many}_plugins_${node.label}`, ratio(1), '<=', 0.7),
        result('P3', `ratio_list_${many}_plugins_${node.label}`, ratio(3), '<=', 0.8),
        result('P3c', `ratio_command_${many}_plugins_${node.label}`, ratio(5), '<=', 1.2),
      );
    }
    return {
      title: 'cli: cold start of the marathon binary',
      table: table(rows),
      notes: [
        `Each figure is the median of ${rounds} fresh processes (spawn to exit, wall clock), ` +
          `rounds alternating; plugins have 10 commands and a hook each and are all enabled.`,
        `Node binaries: ${nodes.map((node) => `${node.label} = ${node.version}`).join(', ')}` +
          (missing === undefined ? '.' : `; ${missing}.`),
        'The bare CLI is tools/bench/fixtures/bare-oclif-cli: @oclif/core 4 with one ' +
          'command, set up like marathon (explicit command strategy, auto-transpile off).',
        '`marathon --version` answers before oclif loads (apps/cli/bin/run.js). A plugin command starts a sandbox worker thread and ' +
          'a QuickJS engine and loads the plugin, checking its files first; plugin list reads the installed state.',
      ],
      results,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
