// Issue 20: `plugin bisect` finds the plugin that causes a problem, the "problem" here being a
// function of the enabled set whose culprit the test knows. Every round is checked: no plugin runs
// without its dependencies, and the rounds stay within the bound; at the end the enabled set is the
// one the bisect began with. A bisect whose process died is restored by the next open.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BisectError, PluginBisect, type BisectStep, type PluginManager } from '@marathon/manager';
import { marathonHome } from '@marathon/registry';
import { open, useManager, writePlugin } from './helpers';

const { sandbox, manager, reopen } = useManager();

/** Installs and enables plugins p1…pN, p3 needing p2 and p5 needing p3 when `chain`; the rest left disabled. */
async function setUp(count: number, options: { chain?: boolean; disabled?: string[] } = {}): Promise<string[]> {
  const names = Array.from({ length: count }, (_, index) => `p${index + 1}`);
  for (const name of [...names, ...(options.disabled ?? [])]) {
    const dependencies: Record<string, string> = {};
    if (options.chain === true && name === 'p3') dependencies.p2 = '^1.0.0';
    if (options.chain === true && name === 'p5') dependencies.p3 = '^1.0.0';
    writePlugin(sandbox.plugins, { name, dependencies });
    await manager().install(name);
  }
  for (const name of names) await manager().enable(name);
  return names;
}

const enabledNames = async (host: PluginManager) => (await host.list({ status: 'enabled' })).map((record) => record.name).sort();

interface Outcome {
  step: Extract<BisectStep, { done: true }>;
  /** The enabled set of each round. */
  rounds: string[][];
}

/** Runs a bisect to its verdict, answering "bad" when `bad` says so of the enabled set, and restores. */
async function bisect(bad: (enabled: readonly string[]) => boolean): Promise<Outcome> {
  const host = manager();
  const rounds: string[][] = [];
  const session = await PluginBisect.start(host);
  let step: BisectStep = { done: false, round: session.current() };
  while (!step.done) {
    const enabled = await enabledNames(host);
    expect(enabled).toEqual([...step.round.enabled].sort());
    for (const record of await host.list({ status: 'enabled' })) {
      for (const dependency of Object.keys(record.manifest.dependencies)) expect(enabled).toContain(dependency);
    }
    rounds.push(enabled);
    step = await session.next(bad(enabled) ? 'bad' : 'good');
  }
  await session.restore();
  return { step, rounds };
}

const bound = (count: number) => Math.ceil(Math.log2(count)) + 1;

describe('one culprit', () => {
  it.each(['p1', 'p2', 'p3', 'p4', 'p5', 'p6'])(
    'finds %s among 6 plugins within ⌈log2 6⌉ + 1 rounds and restores the rest',
    async (culprit) => {
      const names = await setUp(6, { disabled: ['off'] });
      const { step, rounds } = await bisect((enabled) => enabled.includes(culprit));
      expect(step.verdict).toEqual({ kind: 'culprit', plugin: culprit, with: [] });
      expect(step.rounds).toBe(rounds.length);
      expect(rounds.length).toBeLessThanOrEqual(bound(6));
      expect(rounds[0]).toEqual([]);
      expect(await enabledNames(manager())).toEqual(names);
      expect(existsSync(join(sandbox.home, 'bisect.json'))).toBe(false);
    },
  );

  it('takes one round more than ⌈log2 N⌉ + 1 only for N a power of two when the last plugin is the culprit (it must be seen bad)', async () => {
    await setUp(4);
    expect((await bisect((enabled) => enabled.includes('p1'))).rounds.length).toBeLessThanOrEqual(bound(4));
    const last = await bisect((enabled) => enabled.includes('p4'));
    expect(last.step.verdict).toEqual({ kind: 'culprit', plugin: 'p4', with: [] });
    expect(last.rounds.length).toBe(bound(4) + 1);
  });
});

describe('a culprit with dependents and dependencies', () => {
  it('finds a dependency whose dependents go down with it, never running a dependent without it', async () => {
    const names = await setUp(6, { chain: true });
    const { step, rounds } = await bisect((enabled) => enabled.includes('p2'));
    expect(step.verdict).toEqual({ kind: 'culprit', plugin: 'p2', with: [] });
    expect(rounds.length).toBeLessThanOrEqual(bound(6));
    expect(await enabledNames(manager())).toEqual(names);
  });

  it('finds a dependent and names the plugins it needs, enabled with it in every round it ran', async () => {
    await setUp(6, { chain: true });
    const { step, rounds } = await bisect((enabled) => enabled.includes('p5'));
    expect(step.verdict).toEqual({ kind: 'culprit', plugin: 'p5', with: ['p2', 'p3'] });
    expect(rounds.length).toBeLessThanOrEqual(bound(6));
  });
});

describe('no culprit', () => {
  it('says no single plugin causes it when no round is bad, within ⌈log2 N⌉ + 1 rounds', async () => {
    const names = await setUp(6, { chain: true });
    const { step, rounds } = await bisect(() => false);
    expect(step.verdict).toEqual({ kind: 'none' });
    expect(rounds.length).toBeLessThanOrEqual(bound(6));
    expect(rounds.at(-1)).toEqual(names);
    expect(await enabledNames(manager())).toEqual(names);
  });

  it('names Marathon itself after one round when it is still bad with everything disabled', async () => {
    const names = await setUp(5);
    const { step, rounds } = await bisect(() => true);
    expect(step).toEqual({ done: true, verdict: { kind: 'marathon' }, rounds: 1 });
    expect(rounds).toEqual([[]]);
    expect(await enabledNames(manager())).toEqual(names);
  });
});

describe('the session', () => {
  it('refuses a second bisect while this one runs, and refuses answers after the verdict', async () => {
    await setUp(2);
    const running = await PluginBisect.start(manager());
    await expect(PluginBisect.start(manager())).rejects.toMatchObject({ code: 'BISECT_RUNNING' });
    await running.next('bad');
    await expect(running.next('good')).rejects.toBeInstanceOf(BisectError);
    await running.restore();
  });

  it('refuses to bisect with no plugin enabled', async () => {
    await expect(PluginBisect.start(manager())).rejects.toMatchObject({ code: 'BISECT_NOTHING_ENABLED' });
  });

  it('is restored by the next open when the process that ran it is dead', async () => {
    const names = await setUp(4, { chain: true });
    const running = await PluginBisect.start(manager());
    await running.next('good');
    expect((await enabledNames(manager())).length).toBeLessThan(names.length);
    const file = join(marathonHome(sandbox.home).root, 'bisect.json');
    // The same session, owned by a pid that runs nothing (above Linux's pid_max).
    const session = JSON.parse(readFileSync(file, 'utf8')) as { owner: { pid: number; start?: string } };
    writeFileSync(file, JSON.stringify({ ...session, owner: { pid: 2 ** 22 + 1 } }));
    const reopened = await reopen();
    expect(await enabledNames(reopened)).toEqual(names);
    expect(existsSync(file)).toBe(false);
  });

  it("leaves a live process's bisect alone at open", async () => {
    const names = await setUp(3);
    const running = await PluginBisect.start(manager());
    const second = await open(sandbox);
    try {
      expect(await enabledNames(second)).toEqual([]);
      expect(existsSync(join(sandbox.home, 'bisect.json'))).toBe(true);
    } finally {
      await second.close();
    }
    expect(await running.restore()).toEqual({ enabled: names, disabled: [] });
    expect(await enabledNames(manager())).toEqual(names);
  });
});
