// What a lost worker means for the calls it was serving. The watchdog stops a worker whose request
// ran past its budget; the worker's shared progress says which plugin was running guest code then
// (the culprit, charged with the overrun) and how many calls of the request had started. Each call
// is reported by what became of it: the culprit's as its overrun; one that finished or was cut off
// part-way as failed (it may have had effects, so it is not run again); one that never started as
// `notRun`, which the caller may run again on a fresh instance. A call of a run that had finished
// keeps the answer it left in the shared memory (finished-results.ts).
import { deadlineMessage, lostCallMessage, workerLossReason } from './breach-message';
import { parseGuestJson } from './guest-value';
import type { PluginRecord } from './plugin-record';
import type { CallRequest, ReceivedResult } from './protocol';
import type { WorkerLost } from './sandbox-worker';

/**
 * The culprit's message: its call ran past the deadline and the worker had to be stopped. The
 * deadline named is the call's own when it had one (an init under the manager's init timeout).
 */
export function overranMessage(record: PluginRecord, deadlineMs = record.spec.limits.call_deadline_ms): string {
  return deadlineMessage(record.name, deadlineMs, true);
}

/** Whether the watchdog stopped the worker while a plugin was running guest code: that plugin's key, else 0. */
export function culpritKeyOf(error: WorkerLost): number {
  return error.code === 'DEADLINE_EXCEEDED' ? error.culpritKey : 0;
}

/** Why a worker was lost, for the plugins that were not the cause. */
export function lossReason(error: WorkerLost, culprit: PluginRecord | undefined): string {
  return workerLossReason({ culprit: culprit?.name, stopped: error.code === 'DEADLINE_EXCEEDED', lostBecause: error.message });
}

/** The result of each of `calls` (made for `records`, one each) when their worker was lost serving them. */
export function resultsOfLostCalls(records: PluginRecord[], calls: CallRequest[], error: WorkerLost, reason: string): ReceivedResult[] {
  const results: ReceivedResult[] = [];
  for (let index = 0; index < calls.length; index++) {
    const record = records[index]!;
    const call = calls[index]!;
    const finished = error.finished[index];
    if (finished !== undefined) {
      // It had answered before the worker was stopped: its answer stands.
      results.push(parseGuestJson(finished) as unknown as ReceivedResult);
    } else if (call.key === error.culpritKey && index === error.started - 1) {
      results.push({ ok: false, code: 'DEADLINE_EXCEEDED', message: overranMessage(record, call.deadlineMs), durationNs: 0 });
    } else if (index >= error.started) {
      results.push({
        ok: false,
        code: 'WORKER_LOST',
        message: lostCallMessage(record.name, 'not_run', reason),
        durationNs: 0,
        notRun: true,
      });
    } else {
      const fate = index < error.started - 1 ? 'result_lost' : 'interrupted';
      results.push({ ok: false, code: 'WORKER_LOST', message: lostCallMessage(record.name, fate, reason), durationNs: 0 });
    }
  }
  return results;
}
