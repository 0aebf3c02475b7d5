// One hook dispatched to several plugins in order, with the hook chain rules (continue_chain, veto,
// the task_write waterfall), in as few worker messages as there are runs of consecutive plugins on
// one worker: within a run the worker applies the chain rules itself (chain-rules.ts), between
// runs they are applied here.
import type { HookType, JsonValue } from '@marathon/plugin-api';
import { ChainAction, chainAction, isVetoHook } from '@marathon/plugin-api';
import { filterEvent, mayWrite } from './event-filter';
import type { PluginRecord } from './plugin-record';
import type { CallRequest, ReceivedResult } from './protocol';
import type { HookCallResult } from './sandbox-options';

/** What dispatching needs of the host. */
export interface HookRunner {
  /** Makes sure the record has a live instance (loads and inits a new one if not). */
  ensureLoaded(record: PluginRecord): Promise<unknown>;
  /** Runs calls for records that live in one worker, in one message. */
  run(records: PluginRecord[], calls: CallRequest[], veto: boolean | null): Promise<ReceivedResult[]>;
  toHookResult(record: PluginRecord, hook: HookType, result: ReceivedResult): HookCallResult;
}

/** Returns a result for each plugin that ran, in order; the chain may stop before the last. */
export async function dispatchHook(
  runner: HookRunner,
  hook: HookType,
  event: JsonValue,
  records: PluginRecord[],
): Promise<Array<{ plugin: string } & HookCallResult>> {
  const veto = isVetoHook(hook);
  for (const record of records) await runner.ensureLoaded(record);
  const out: Array<{ plugin: string } & HookCallResult> = [];
  let data: JsonValue = event;
  let index = 0;
  while (index < records.length) {
    const worker = records[index]!.worker;
    let end = index;
    while (end < records.length && records[end]!.worker === worker) end++;
    const group = records.slice(index, end);
    // Plugins with the same permissions see the same event: serialise each view once.
    const views = new Map<string, string>();
    const calls = group.map((record) => {
      const view = record.spec.permissions.join(',');
      let payload = views.get(view);
      if (payload === undefined) {
        payload = JSON.stringify(filterEvent(hook, data, record.spec.permissions));
        views.set(view, payload);
      }
      return { key: record.key, kind: 'hook' as const, name: hook, payload, canWrite: mayWrite(hook, record.spec.permissions) };
    });
    // Within a group the worker applies the chain rules itself; between groups they are applied here.
    const results = await runner.run(group, calls, veto);
    const firstNotRun = results.findIndex((result) => !result.ok && result.notRun === true);
    if (firstNotRun >= 0) {
      // Stopped by another plugin before their turn: they run on a fresh instance instead.
      results.length = firstNotRun;
      end = index + firstNotRun;
      for (const record of records.slice(end)) await runner.ensureLoaded(record);
    }
    let stop = results.length < end - index;
    results.forEach((result, offset) => {
      const record = group[offset]!;
      const outcome = runner.toHookResult(record, hook, result);
      out.push({ plugin: record.name, ...outcome });
      const success = outcome.error === undefined && outcome.result.success;
      if (success && calls[offset]!.canWrite && outcome.result.result_data !== undefined) data = outcome.result.result_data;
      if (chainAction(veto, success, outcome.result.continue_chain) !== ChainAction.Continue) stop = true;
    });
    if (stop) break;
    index = end;
  }
  return out;
}
