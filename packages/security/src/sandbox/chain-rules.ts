// The hook chain rules of @marathon/events, applied inside a worker to a batch of calls so that a
// dispatch to several plugins costs one message: a result with continue_chain: false ends the
// chain; on veto-capable hooks a failure (a failed result, an error, a value that is not a
// HookResult) ends it; a successful result of a plugin that may write passes its result_data on
// as the next plugin's event. Kept equal to events' by a test that runs the same chains through both.
import type { CallResult, ChainRules } from './protocol';

export interface ChainStep {
  stop: boolean;
  /** JSON of the event for the next call, when this call replaced it. */
  payload?: string;
}

export function applyChain(result: CallResult, canWrite: boolean, rules: ChainRules): ChainStep {
  if (!result.ok) return { stop: rules.veto };
  if (result.json === undefined) return { stop: false };
  // Off veto hooks, only continue_chain: false or a write matter; JSON.stringify writes that key
  // exactly so, so a result without the text cannot stop the chain and need not be parsed.
  if (!rules.veto && !canWrite && !result.json.includes('"continue_chain":false')) return { stop: false };
  let value: unknown;
  try {
    value = JSON.parse(result.json);
  } catch {
    return { stop: rules.veto };
  }
  if (typeof value !== 'object' || value === null || typeof (value as { success?: unknown }).success !== 'boolean') {
    return { stop: rules.veto };
  }
  const hookResult = value as { success: boolean; continue_chain?: unknown; result_data?: unknown };
  if (!hookResult.success && rules.veto) return { stop: true };
  const step: ChainStep = { stop: hookResult.continue_chain === false };
  if (canWrite && hookResult.success && hookResult.result_data !== undefined) step.payload = JSON.stringify(hookResult.result_data);
  return step;
}
