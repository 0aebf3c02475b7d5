import { describeResultValue, isHookResult, type HookResult } from '@marathon/plugin-api';
import type { HandlerFault } from './types';

/** A handler's throw (or rejection), caught so that it becomes a failed result, never an escape. */
export class Thrown {
  constructor(readonly error: unknown) {}
}

/** Stands for an async handler that did not settle within its timeout. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * Where a handler whose work runs elsewhere — a plugin in a sandbox worker, several of whose calls
 * may travel in one message — puts the milliseconds that work took, on the HookResult it returns.
 * History, metrics and the slow check then use that figure instead of the time until the handler
 * returned, so each plugin is charged its own time, not its neighbours' or the thread handoff's.
 */
export const MEASURED_DURATION_MS: unique symbol = Symbol.for('marathon.events.measuredDurationMs');

/** A HookResult that says how long its work took (see MEASURED_DURATION_MS). */
export type MeasuredResult = HookResult & { [MEASURED_DURATION_MS]?: number };

/** What a handler returning nothing is recorded as. Frozen: every such call shares it. */
export const IMPLICIT_SUCCESS: HookResult = Object.freeze({ success: true, continue_chain: true });

export interface ClassifiedResult {
  result: HookResult;
  fault: HandlerFault;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  return `a non-error value (${typeof error})`;
}

/**
 * The failed result for what a handler produced when it is neither nothing nor a HookResult (the
 * bus checks those two first, without allocating): a throw, a timeout, or a value of the wrong kind.
 */
export function faultResult(raw: unknown, timeoutMs: number): ClassifiedResult {
  if (raw instanceof Thrown) {
    return { result: { success: false, message: `threw: ${errorText(raw.error)}` }, fault: 'threw' };
  }
  if (raw === TIMED_OUT) {
    return { result: { success: false, message: `timed out after ${timeoutMs} ms` }, fault: 'timeout' };
  }
  if (isHookResult(raw)) {
    // The one HookResult that is refused: a writer's result_data that cannot be an event.
    return {
      result: { success: false, message: `returned result_data that is not an event object (${describeResultValue(raw.result_data)})` },
      fault: 'invalid_result',
    };
  }
  return {
    result: { success: false, message: `returned ${describeResultValue(raw)} instead of a HookResult` },
    fault: 'invalid_result',
  };
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function'
  );
}
