// The words for a plugin stopped by a limit, written once. The engine (plugin-instance.ts) notices
// memory, CPU, stack and deadline breaches from several places (a trap, a caught engine error, the
// bridge's own catch); the worker (worker-main.ts), its host-side handle (sandbox-worker.ts) and the
// host (sandbox-host.ts) report the calls a breach stopped; the call protocol (call-protocol.ts) and
// the worker word a load that failed. The operator, the audit trail and the tests read the same
// sentence whichever of them noticed.
import type { EffectiveLimits } from './limits';
import { formatBytes } from './limits';

export function memoryLimitMessage(plugin: string, limits: Pick<EffectiveLimits, 'max_memory'>): string {
  return `plugin '${plugin}' exceeded its memory limit of ${formatBytes(limits.max_memory)}`;
}

export function cpuLimitMessage(plugin: string, limits: Pick<EffectiveLimits, 'max_cpu_time_ms'>): string {
  return `plugin '${plugin}' exceeded its CPU time limit of ${limits.max_cpu_time_ms} ms`;
}

export function stackLimitMessage(plugin: string, limits: Pick<EffectiveLimits, 'max_stack_bytes'>): string {
  return `plugin '${plugin}' recursed too deeply (stack limit ${limits.max_stack_bytes / 1024} KiB)`;
}

/**
 * A call that ran past its deadline of `ms`. `workerStopped`: the engine could not interrupt it, so
 * the host stopped its whole worker (the other plugins there are told why by workerLossReason).
 */
export function deadlineMessage(plugin: string, ms: number, workerStopped = false): string {
  return `plugin '${plugin}' did not finish within its deadline of ${ms} ms${workerStopped ? ' (its worker was stopped)' : ''}`;
}

/** The worker's word for a stop it cannot yet blame on a plugin (the host looks the culprit up). */
export const WORKER_OVERRUN_MESSAGE = 'a plugin overran its deadline and the sandbox worker was stopped';

/**
 * Why a worker was lost, for the plugins that were not the cause: stopped because `culprit`
 * overran (when the host knows it), stopped for a deadline, or lost for `lostBecause`.
 */
export function workerLossReason(loss: { culprit?: string | undefined; stopped: boolean; lostBecause: string }): string {
  if (loss.culprit !== undefined) return `its sandbox worker was stopped because plugin '${loss.culprit}' overran its deadline`;
  return loss.stopped ? 'its sandbox worker was stopped' : `its sandbox worker was lost (${loss.lostBecause})`;
}

/** A plugin whose code could not be loaded: its main module, its evaluation or its register() failed (`reason` says which). */
export function loadFailedMessage(plugin: string, reason: string): string {
  return `plugin '${plugin}' failed to load: ${reason}`;
}

/** A call queued to an instance that an earlier call's breach (`breach`, its message or code) dropped. */
export function stoppedEarlierMessage(plugin: string, breach: string): string {
  return `plugin '${plugin}' was stopped by an earlier call (${breach}) before this call ran`;
}

/** What became of a load or call on a worker that was lost: never started, result lost, cut off, or never loaded. */
export type LostCallFate = 'not_run' | 'result_lost' | 'interrupted' | 'not_loaded';

const LOST_CALL_WORDS: Readonly<Record<LostCallFate, string>> = {
  not_run: 'did not run',
  result_lost: 'ran, but its result was lost',
  interrupted: 'was interrupted',
  not_loaded: 'could not load',
};

/** A call on a lost worker, with `reason` (workerLossReason) when there is one. */
export function lostCallMessage(plugin: string, fate: LostCallFate, reason?: string): string {
  return `plugin '${plugin}' ${LOST_CALL_WORDS[fate]}${reason === undefined ? '' : `: ${reason}`}`;
}
