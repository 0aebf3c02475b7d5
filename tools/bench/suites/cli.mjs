// P3: cold start of the real `marathon` binary — `plugin list` and a plugin command, with 1 and
// 100 installed plugins of 10 commands each — against a bare oclif 4 CLI's `--version`, in one run.
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

function timeOnce(bin, args, home, expect) {
  const started = performance.now();
  const outcome = spawnSync(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH, HOME: home, MARATHON_HOME: home },
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  if (outcome.status !== 0 || !outcome.stdout.includes(expect))
    throw new Error(`${args.join(' ')} failed (${outcome.status}): ${outcome.stderr}${outcome.stdout}`);
  return ms;
}

export async function run({ quick = false } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'marathon-bench-cli-'));
  // Quick: 2 plugins stand in for 100, one round and no warm-up pass; the labels say what ran.
  const many = quick ? 2 : 100;
  const rounds = quick ? 1 : ROUNDS;
  try {
    const homes = { 1: await homeWith(root, 1), [many]: await homeWith(root, many) };
    const cases = [
      { name: 'bare oclif 4 CLI --version', bin: BARE, args: ['--version'], home: homes[1], expect: 'bare-oclif-cli/' },
      { name: `marathon --version (${many} plugins)`, bin: MARATHON, args: ['--version'], home: homes[many], expect: '@marathon/cli/' },
      { name: 'marathon plugin list (1 plugin)', bin: MARATHON, args: ['plugin', 'list'], home: homes[1], expect: 'Summary: 1 total' },
      {
        name: `marathon plugin list (${many} plugins)`,
        bin: MARATHON,
        args: ['plugin', 'list'],
        home: homes[many],
        expect: `Summary: ${many} total`,
      },
      { name: 'marathon plugin-0:cmd3 (1 plugin)', bin: MARATHON, args: ['plugin-0:cmd3', 'x'], home: homes[1], expect: 'cmd3 x' },
      {
        name: `marathon plugin-0:cmd3 (${many} plugins)`,
        bin: MARATHON,
        args: ['plugin-0:cmd3', 'x'],
        home: homes[many],
        expect: 'cmd3 x',
      },
    ];
    const samples = new Map(cases.map((c) => [c.name, []]));
    if (!quick) for (const c of cases) timeOnce(c.bin, c.args, c.home, c.expect); // warm the page cache
    for (let round = 0; round < rounds; round++) {
      for (const c of round % 2 === 0 ? cases : [...cases].reverse()) samples.get(c.name).push(timeOnce(c.bin, c.args, c.home, c.expect));
    }
    const ms = Object.fromEntries(cases.map((c) => [c.name, median(samples.get(c.name))]));
    const bare = ms[cases[0].name];
    const rows = [
      ['command', 'median wall ms', 'vs bare oclif --version'],
      ...cases.map((c) => [c.name, ms[c.name], `${(ms[c.name] / bare).toFixed(2)}×`]),
    ];
    const ratio = (name) => ms[name] / bare;
    return {
      title: 'cli: cold start of the marathon binary',
      table: table(rows),
      notes: [
        `Each figure is the median of ${rounds} fresh processes (spawn to exit, wall clock), ` +
          `rounds alternating; plugins have 10 commands and a hook each and are all enabled.`,
        'The bare CLI is tools/bench/fixtures/bare-oclif-cli: @oclif/core 4 with one ' +
          'command, set up like marathon (explicit command strategy, auto-transpile off).',
        'A plugin command starts a sandbox worker thread and a QuickJS engine and loads ' +
          'the plugin, checking its files first; plugin list reads the installed state.',
      ],
      results: [
        result('P3', `ratio_list_${many}_plugins`, ratio(cases[3].name), '<=', 1.3),
        result('P3', `ratio_command_${many}_plugins`, ratio(cases[5].name), '<=', 1.3),
      ],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
