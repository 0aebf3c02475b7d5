// Issue 20: `marathon plugin bisect --run` through the binary. The problem: `marathon task run`
// fails because a pre_task_submit plugin vetoes every task; the bisect must name it (and the
// plugin it needs, never letting it run without), and leave the plugins as they were.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BINARY, workspace, type Workspace } from './marathon-binary';
import { installPluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

const node = process.execPath;
const taskRun = `"${node}" "${BINARY}" task run -- "${node}" -e 0`;

async function installAll(): Promise<void> {
  for (const name of ['alpha', 'beta', 'clock', 'delta', 'gamma']) {
    await installPluginFolder(ws, { name, hooks: ['pre_task_submit'], body: '{ hooks: { pre_task_submit: () => success() } }' });
  }
  await installPluginFolder(ws, {
    name: 'freeze',
    hooks: ['pre_task_submit'],
    manifest: { dependencies: { clock: '^1.0.0' } },
    body: `{ hooks: { pre_task_submit: () => failure('everything is frozen') } }`,
  });
  await ws.prepare(['plugin', 'disable', 'gamma']);
}

const statuses = (): Record<string, string> => {
  const state = JSON.parse(readFileSync(join(ws.home, 'state.json'), 'utf8')) as { plugins: Record<string, { status: string }> };
  return Object.fromEntries(Object.entries(state.plugins).map(([name, record]) => [name, record.status]));
};

test('--run names the vetoing plugin within ⌈log2 N⌉ + 1 rounds and restores the enabled set', async () => {
  await installAll();
  const before = statuses();
  expect((await ws.run(['task', 'run', '--', node, '-e', '0'])).code).toBe(1);
  const outcome = await ws.ok(['plugin', 'bisect', '--run', taskRun, '--yes']);
  expect(outcome.stdout).toContain('Round 1: every plugin disabled (5)');
  expect(outcome.stdout).toContain("The culprit is 'freeze' (enabled with 'clock', which it needs)");
  expect(outcome.stdout).toContain('Restored 5 plugins to how they were');
  // freeze needs clock: a round that enables it enables clock too.
  const enabledParts = outcome.stdout.split('\n').map((line) => /Round \d+: enabled (.*); disabled/.exec(line)?.[1] ?? '');
  expect(enabledParts.some((part) => part.includes("'freeze'"))).toBe(true);
  for (const part of enabledParts.filter((text) => text.includes("'freeze'"))) expect(part).toContain("'clock'");
  const rounds = outcome.stdout.split('\n').filter((line) => line.includes('Round ')).length;
  expect(rounds).toBeLessThanOrEqual(Math.ceil(Math.log2(5)) + 1);
  expect(statuses()).toEqual(before);
  expect(statuses().gamma).toBe('disabled');
});

test('--json prints the culprit, the rounds and how many plugins were restored', async () => {
  await installAll();
  const outcome = await ws.ok(['plugin', 'bisect', '--run', taskRun, '--yes', '--json']);
  const result = JSON.parse(outcome.stdout) as { culprit: string; rounds: number; restored: number; verdict: string };
  expect(result).toEqual({ culprit: 'freeze', verdict: 'culprit', rounds: expect.any(Number) as number, restored: 5 });
  expect(result.rounds).toBeLessThanOrEqual(4);
});

test('a command that always succeeds finds no culprit; one that always fails names Marathon itself', async () => {
  await installAll();
  const before = statuses();
  const none = await ws.ok(['plugin', 'bisect', '--run', `"${node}" -e 0`, '--yes']);
  expect(none.stdout).toContain('No single plugin causes it');
  const itself = await ws.ok(['plugin', 'bisect', '--run', `"${node}" -e "process.exit(3)"`, '--yes']);
  expect(itself.stdout).toContain('it is Marathon itself');
  expect(itself.stdout).toContain('Restored 5 plugins to how they were');
  expect(statuses()).toEqual(before);
});

test('without --run and without a terminal it refuses, naming --run; without --yes it refuses, naming --yes', async () => {
  await installAll();
  const before = statuses();
  const asks = await ws.run(['plugin', 'bisect', '--yes']);
  expect(asks.code).toBe(1);
  expect(asks.stderr).toContain('give --run "<command>"');
  const unconfirmed = await ws.run(['plugin', 'bisect', '--run', 'true']);
  expect(unconfirmed.code).toBe(1);
  expect(unconfirmed.stderr).toContain('give --yes');
  expect(statuses()).toEqual(before);
});
