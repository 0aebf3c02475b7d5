// Issue 15, items 12 and 14: `marathon plugin logs <name> [--follow] [--json]` shows what a plugin
// wrote with ctx.log, in every process; a failed post_task_execute says so on stderr during
// `task run`; and every timestamp in --json output is an ISO 8601 string (the history files keep
// epoch milliseconds, see docs/cli.md). Through the real binary; --follow runs as a second
// process, stopped with Ctrl-C's signal.
import { spawn } from 'node:child_process';
import { BINARY, workspace, type Workspace } from './marathon-binary';
import { installPluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(async () => {
  ws = workspace();
  await installPluginFolder(ws, {
    name: 'notifier',
    permissions: ['task_read'],
    hooks: ['post_task_execute'],
    commands: [{ name: 'say' }],
    body: `{
  hooks: {
    post_task_execute: (ctx, event) => {
      ctx.log.info('task finished', { exit: event.result.exit_code });
      throw new Error('webhook unreachable for ' + event.task.name);
    },
  },
  commands: { say: (ctx, args) => { ctx.log.warn('said ' + args.join(' ')); return 'ok'; } },
}`,
  });
});
afterEach(() => ws.cleanup());

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

test('a failed post_task_execute is said on stderr, naming the plugin; the task keeps its exit code', async () => {
  const run = await ws.run(['task', 'run', '--name', 'nightly', '--', 'node', '-e', 'process.exit(3)']);
  expect(run.code).toBe(3);
  expect(run.stderr).toContain("⚠️  plugin 'notifier' failed in post_task_execute: webhook unreachable for nightly");
});

test("plugin logs shows every process's lines; --json as data with ISO times; an unknown name is refused", async () => {
  await ws.ok(['task', 'run', '--', 'true']);
  await ws.ok(['notifier', 'say', 'hi']);
  const text = (await ws.ok(['plugin', 'logs', 'notifier'])).stdout.trimEnd().split('\n');
  expect(text).toHaveLength(2);
  expect(text[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\S+Z {2}info {3}task finished {2}\{"exit":0\}$/);
  expect(text[1]).toMatch(/^\S+Z {2}warn {3}said hi$/);
  const json = JSON.parse((await ws.ok(['plugin', 'logs', 'notifier', '--json', '--limit', '1'])).stdout);
  expect(json.logs).toEqual([{ plugin: 'notifier', level: 'warn', message: 'said hi', time: expect.stringMatching(ISO) }]);
  expect(JSON.parse((await ws.ok(['plugin', 'logs', 'notifier', '--json'])).stdout).logs[0].fields).toEqual({ exit: 0 });

  const typo = await ws.run(['plugin', 'logs', 'notifer']);
  expect(typo.code).toBe(1);
  expect(typo.stderr).toContain("plugin 'notifer' is not installed (did you mean 'notifier'?)");
});

test('plugin logs --follow prints the lines other processes write until it is stopped', async () => {
  await ws.prepare(['notifier', 'say', 'before']);
  const follower = spawn(process.execPath, [BINARY, 'plugin', 'logs', 'notifier', '--follow', '--json'], {
    cwd: ws.root,
    env: { PATH: process.env.PATH, HOME: ws.root, MARATHON_HOME: ws.home, NO_COLOR: '1' },
  });
  let out = '';
  follower.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => follower.once('exit', (code) => resolve(code)));
  const lines = () =>
    out
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { message: string; time: string });
  const until = async (count: number) => {
    const deadline = Date.now() + 20_000;
    while (lines().length < count) {
      if (Date.now() > deadline) throw new Error(`waited for ${count} lines, got:\n${out}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  try {
    await until(1);
    await ws.ok(['notifier', 'say', 'after']);
    await ws.run(['task', 'run', '--', 'true']);
    await until(3);
    expect(lines().map((line) => line.message)).toEqual(['said before', 'said after', 'task finished']);
    for (const line of lines()) expect(line.time).toMatch(ISO);
  } finally {
    follower.kill('SIGINT');
  }
  expect(await exited).toBe(0);
});

/** Every value under a key that names a time, anywhere in a JSON document. */
function timeFields(value: unknown, path = '$'): Array<[string, unknown]> {
  if (Array.isArray(value)) return value.flatMap((item, index) => timeFields(item, `${path}[${index}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(/(^|_)(time|timestamp|at|date)$|_at$/.test(key) && (typeof inner !== 'object' || inner === null)
      ? [[`${path}.${key}`, inner] as [string, unknown]]
      : []),
    ...timeFields(inner, `${path}.${key}`),
  ]);
}

test('every timestamp in --json output is an ISO 8601 string', async () => {
  await ws.prepare(['task', 'run', '--', 'true']);
  await ws.prepare(['notifier', 'say', 'hi']);
  const outputs: Record<string, unknown> = {};
  for (const args of [
    ['plugin', 'list'],
    ['plugin', 'info', 'notifier'],
    ['plugin', 'events'],
    ['plugin', 'audit', 'notifier'],
    ['plugin', 'logs', 'notifier'],
  ]) {
    outputs[args.join(' ')] = JSON.parse((await ws.ok([...args, '--json'])).stdout);
  }
  const found = timeFields(outputs);
  // The check is only as good as what it sees: each kind of timestamp is there.
  const paths = found.map(([path]) => path.replace(/\[\d+\]/g, '[]'));
  for (const expected of [
    '$.plugin info notifier.plugin.installed_at',
    '$.plugin events.events[].timestamp',
    '$.plugin logs notifier.logs[].time',
  ])
    expect(paths).toContain(expected);
  for (const [path, value] of found) expect({ path, value }).toEqual({ path, value: expect.stringMatching(ISO) });
});
