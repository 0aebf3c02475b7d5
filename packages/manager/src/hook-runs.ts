// Runs: a hook's sandboxed plugins sent to their worker together instead of one round trip each.
//
// When the bus reaches a plugin's handler, the runtime sends that plugin together with the loaded
// plugins whose handlers come right after it, in one message per worker; the worker applies the
// chain rules between them (@marathon/plugin-api's chainAction, the bus's own). The answers of the
// plugins after the first wait here until the bus reaches them. The bus gets each answer only if
// it hands that handler exactly the data the plugin ran with (the same object: the event, or the
// result_data of the writer before it); anything else — a handler registered or removed in
// between, another dispatch of the same hook — finds nothing here, and the plugin is called on
// its own, as before.
import type { HookType } from '@marathon/plugin-api';
import { mayWrite, type HookCallResult, type SandboxedPlugin } from '@marathon/security';

export interface RunMember {
  readonly plugin: SandboxedPlugin;
  /** Being replaced by a reload: it takes no new runs. */
  readonly retired: boolean;
}

/** What picking a run needs of the runtime, for one hook. */
export interface RunSource<M extends RunMember> {
  /**
   * How long the run may legally take: the first handler waits for the whole run, so the call
   * deadlines of the run's plugins add up to at most half of the time the bus gives that handler
   * (60 s on the manager's own bus: 12 plugins at the default 5 s deadline).
   */
  budgetMs: number;
  /** The owners of the hook's handlers on the bus, in the order they run. */
  owners: readonly string[];
  /** The runtime's loaded plugin of that name, if any. */
  loaded(name: string): M | undefined;
  /** Whether the runtime registered `name`'s handler for the hook with canWrite; undefined when it has none. */
  canWrite(name: string): boolean | undefined;
}

interface AheadAnswer {
  input: unknown;
  answer: HookCallResult;
}

export class HookRuns {
  private readonly ahead = new Map<HookType, Map<string, AheadAnswer>>();

  /**
   * `first` and the loaded plugins whose handlers come right after it, to run in one go. It stops
   * at a handler that is not one of the runtime's plugins (a host's handler runs in its turn), at a
   * plugin not loaded or being replaced, at one whose right to change the event the worker would
   * judge otherwise than the bus, and when the run's call deadlines would pass the source's budget.
   */
  pick<M extends RunMember>(first: M, hook: HookType, source: RunSource<M>): M[] {
    const run = [first];
    const { owners } = source;
    let budget = source.budgetMs - first.plugin.limits.call_deadline_ms;
    for (let index = owners.indexOf(first.plugin.name) + 1; index > 0 && index < owners.length; index++) {
      const name = owners[index]!;
      const next = source.loaded(name);
      if (next === undefined || next.retired) break;
      if (source.canWrite(name) !== mayWrite(hook, next.plugin.record.spec.permissions)) break;
      budget -= next.plugin.limits.call_deadline_ms;
      if (budget < 0) break;
      run.push(next);
    }
    return run;
  }

  /** Keeps the answers of a run's plugins after the first, each with the data the bus will hand it. */
  keep<M extends RunMember>(
    hook: HookType,
    data: unknown,
    run: readonly M[],
    answers: readonly HookCallResult[],
    source: RunSource<M>,
  ): void {
    // A new run on the hook replaces whatever an earlier one left unclaimed.
    const kept = new Map<string, AheadAnswer>();
    this.ahead.set(hook, kept);
    let input = data;
    answers.forEach((answer, index) => {
      const name = run[index]!.plugin.name;
      if (index > 0) kept.set(name, { input, answer });
      const { result } = answer;
      if (source.canWrite(name) === true && result.success && result.result_data !== undefined) input = result.result_data;
    });
  }

  /** The answer `plugin` gave ahead of its turn to exactly `input`, claimed once; or undefined. */
  take(hook: HookType, plugin: string, input: unknown): HookCallResult | undefined {
    const kept = this.ahead.get(hook);
    const ahead = kept?.get(plugin);
    if (ahead === undefined) return undefined;
    kept!.delete(plugin);
    return ahead.input === input ? ahead.answer : undefined;
  }

  /** Forgets a plugin's unclaimed answers (it was disabled or re-registered). */
  forget(plugin: string): void {
    for (const kept of this.ahead.values()) kept.delete(plugin);
  }
}
