// `plugin bisect`: finds the enabled plugin that causes a problem by halving, as VS Code's
// Extension Bisect does, with the gaps it leaves closed. Round 1 runs with every plugin disabled,
// so a problem that stays is named Marathon's own (or something outside its plugins). Each later
// round enables what is known good plus the first half of the candidates in dependency order: a
// prefix of that order holds every dependency it needs, so no plugin ever runs without one, and
// disabling takes dependents with it. The culprit is only named once the problem was seen with it
// enabled; when every answer was "good" the last candidate is tried too, which is how "no single
// plugin causes it" is told from "the last one does". That costs at most ⌈log2(N+1)⌉ + 1 rounds:
// ⌈log2 N⌉ + 1, but for N a power of two when the answer is the last plugin or none.
// The session is written (bisect-session.ts) before every change, so a crash or Ctrl-C always
// leaves enough behind to put the original enabled set back.
import { ownEntry, type InstalledPlugin } from '@marathon/registry';
import { BisectError } from './bisect-error';
import { ownerRuns, readBisectSession, removeBisectSession, thisProcess, writeBisectSession, type BisectSession } from './bisect-session';
import { enableOrder } from './dependency-graph';
import type { PluginManager } from './plugin-manager';

export type BisectAnswer = 'good' | 'bad';

export type BisectVerdict =
  /** Still bad with every plugin disabled. */
  | { kind: 'marathon' }
  /** `plugin` causes it; `with` are the plugins it needs, enabled with it whenever it ran. */
  | { kind: 'culprit'; plugin: string; with: string[] }
  /** Never bad, whatever was enabled: no single plugin causes it. */
  | { kind: 'none' };

export interface BisectRound {
  /** 1 is everything disabled. */
  round: number;
  /** The plugins enabled for this round, dependencies first. */
  enabled: string[];
  /** The bisected plugins disabled for it. */
  disabled: string[];
}

export type BisectStep = { done: false; round: BisectRound } | { done: true; verdict: BisectVerdict; rounds: number };

export interface BisectRestore {
  /** The plugins enabled again (everything enabled before the bisect). */
  enabled: string[];
  /** Plugins enabled meanwhile that were not before, disabled again. */
  disabled: string[];
}

type Plugins = Readonly<Record<string, InstalledPlugin>>;

/** `names` in an order where every plugin comes after its dependencies. */
function dependencyOrder(names: readonly string[], plugins: Plugins): string[] {
  const order: string[] = [];
  for (const name of [...names].sort()) {
    for (const plugin of enableOrder(name, plugins)) if (!order.includes(plugin)) order.push(plugin);
  }
  return order;
}

export class PluginBisect {
  private verdict: BisectVerdict | undefined;
  private restored = false;

  private constructor(
    private readonly manager: PluginManager,
    private session: BisectSession,
  ) {}

  /**
   * Begins a bisect of the enabled plugins: records them, then disables them all (round 1). A bisect
   * a dead process left is restored first; one a live process runs is refused (BISECT_RUNNING).
   */
  static async start(manager: PluginManager): Promise<PluginBisect> {
    const left = await readBisectSession(manager.home);
    if (left !== undefined) {
      if (ownerRuns(left)) {
        throw new BisectError(
          'BISECT_RUNNING',
          `process ${left.owner.pid} is bisecting these plugins: let it finish (or stop it with Ctrl-C, which restores them) before starting another`,
        );
      }
      await new PluginBisect(manager, left).restore();
    }
    const plugins = (await manager.store.read()).plugins;
    const records = Object.values(plugins);
    const enabled = records.filter((record) => record.status === 'enabled').map((record) => record.name);
    if (enabled.length === 0) {
      throw new BisectError('BISECT_NOTHING_ENABLED', 'no plugin is enabled, so none can cause the problem: there is nothing to bisect');
    }
    const original = dependencyOrder(enabled, plugins);
    const notEnabled = records.filter((record) => record.status !== 'enabled').map((record) => record.name);
    const session: BisectSession = {
      version: 1,
      owner: thisProcess(),
      original,
      notEnabled,
      good: [],
      candidates: original,
      confirmed: false,
      round: 1,
      enabled: [],
    };
    const bisect = new PluginBisect(manager, session);
    await bisect.apply(session);
    return bisect;
  }

  /** The round to try now: what is enabled for it. */
  current(): BisectRound {
    const { round, enabled, original } = this.session;
    return { round, enabled: [...enabled], disabled: original.filter((name) => !enabled.includes(name)) };
  }

  /** Takes the answer for the current round: the next round (already applied), or the verdict. */
  async next(answer: BisectAnswer): Promise<BisectStep> {
    if (this.verdict !== undefined || this.restored) {
      throw new BisectError('BISECT_FINISHED', 'this bisect is over: start another to search again');
    }
    const session = this.session;
    let { good, candidates, confirmed } = session;
    if (session.round === 1) {
      if (answer === 'bad') return this.finish({ kind: 'marathon' });
    } else {
      const tried = candidates.filter((name) => session.enabled.includes(name));
      if (answer === 'bad') {
        candidates = tried;
        confirmed = true;
      } else {
        good = session.enabled;
        candidates = candidates.filter((name) => !tried.includes(name));
      }
    }
    if (confirmed && candidates.length === 1) {
      const plugin = candidates[0]!;
      const needs = enableOrder(plugin, (await this.manager.store.read()).plugins).filter((name) => name !== plugin);
      return this.finish({ kind: 'culprit', plugin, with: needs });
    }
    if (candidates.length === 0) return this.finish({ kind: 'none' });
    // Half, rounded up, of the candidates in dependency order: the answer "bad" leaves the tried
    // half, "good" the rest, and either takes as many rounds as the other (see the top comment).
    const tried = candidates.slice(0, Math.ceil(candidates.length / 2));
    const enabled = session.original.filter((name) => good.includes(name) || tried.includes(name));
    await this.apply({ ...session, good, candidates, confirmed, round: session.round + 1, enabled });
    return { done: false, round: this.current() };
  }

  /**
   * Puts back the enabled set the bisect began with (enable what was enabled, disable what was not)
   * and removes the session. Runs once; later calls return what the first did.
   */
  async restore(): Promise<BisectRestore> {
    const { original, notEnabled } = this.session;
    const failures: string[] = [];
    const disabled: string[] = [];
    if (!this.restored) {
      const plugins = (await this.manager.store.read()).plugins;
      for (const name of notEnabled) {
        if (ownEntry(plugins, name)?.status !== 'enabled') continue;
        disabled.push(...(await this.manager.disable(name, { cascade: true })));
      }
      for (const name of original) {
        if (ownEntry(plugins, name) === undefined) continue;
        try {
          await this.manager.enable(name);
        } catch (error) {
          failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      await removeBisectSession(this.manager.home);
      this.restored = true;
    }
    if (failures.length > 0) {
      throw new BisectError(
        'BISECT_RESTORE_FAILED',
        `the bisect could not enable ${failures.length} of the plugins enabled before it: see why below, then 'marathon plugin enable <name>'`,
        failures,
      );
    }
    return { enabled: [...original], disabled };
  }

  private finish(verdict: BisectVerdict): BisectStep {
    this.verdict = verdict;
    return { done: true, verdict, rounds: this.session.round };
  }

  /** Records `next`, then makes its enabled set the home's: the session first, so a crash can undo the change. */
  private async apply(next: BisectSession): Promise<void> {
    await writeBisectSession(this.manager.home, next);
    this.session = next;
    const plugins = (await this.manager.store.read()).plugins;
    const isEnabled = (name: string) => ownEntry(plugins, name)?.status === 'enabled';
    // Dependents first, so each disable finds nothing enabled that needs it.
    for (const name of [...next.original].reverse()) {
      if (!next.enabled.includes(name) && isEnabled(name)) await this.manager.disable(name, { cascade: true });
    }
    for (const name of next.enabled) if (!isEnabled(name)) await this.manager.enable(name);
  }
}
