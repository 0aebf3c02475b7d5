// The hook chain rules (@marathon/plugin-api's chainAction, their one owner) applied inside a
// worker to a batch of calls, so that a dispatch to several plugins costs one message. A call
// that failed counts as a failed result; a value that is not a HookResult, too.
import { ChainAction, chainAction, isEventData, isHookResult } from '@marathon/plugin-api';
import type { CallResult, ChainRules } from './protocol';

export interface ChainStep {
  stop: boolean;
  /** JSON of the event for the next call, when this call replaced it. */
  payload?: string;
}

export function applyChain(result: CallResult, canWrite: boolean, rules: ChainRules): ChainStep {
  if (!result.ok) return { stop: chainAction(rules.veto, false, undefined) !== ChainAction.Continue };
  if (result.json === undefined) return { stop: false };
  // Off veto hooks, only continue_chain: false or a write matter; JSON.stringify writes that key
  // exactly so, so a result without the text cannot stop the chain and need not be parsed.
  if (!rules.veto && !canWrite && !result.json.includes('"continue_chain":false')) return { stop: false };
  // The text was checked to be JSON of bounded depth when it left the engine (result-envelope.ts).
  const value = JSON.parse(result.json) as unknown;
  // The host's toHookResult asks the same guard, so a value fails here exactly when it fails there.
  if (!isHookResult(value)) return { stop: chainAction(rules.veto, false, undefined) !== ChainAction.Continue };
  const hookResult = value;
  const written = canWrite && hookResult.success && hookResult.result_data !== undefined;
  // A writer's data that cannot be an event fails the call (the host's toHookResult says so).
  const success = hookResult.success && (!written || isEventData(hookResult.result_data));
  const step: ChainStep = { stop: chainAction(rules.veto, success, hookResult.continue_chain) !== ChainAction.Continue };
  if (written && success) step.payload = JSON.stringify(hookResult.result_data);
  return step;
}
