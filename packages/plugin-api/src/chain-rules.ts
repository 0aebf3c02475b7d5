// The hook chain rules, written once. Every dispatcher — the hook bus, the sandbox's batched
// dispatch inside a worker, the host's dispatch across workers — asks these two functions what a
// handler's result does to the chain, so the rules cannot drift apart between paths.
//
// On a veto-capable hook a successful result never ends the chain: `continue_chain: false` there
// would let one plugin (with the highest priority) keep every other plugin's veto from being heard,
// so it is ignored. The first failed result vetoes and ends the chain.
import type { JsonObject, JsonValue } from './json';

/** What a handler's result does to the chain (numbers: dispatch compares them on every call). */
export const ChainAction = Object.freeze({
  /** The next handler runs. */
  Continue: 0,
  /** A veto-capable hook was refused: the chain ends and the operation does not happen. */
  Veto: 1,
  /** `continue_chain: false` on a hook that cannot be vetoed: the handlers after it do not run. */
  Stop: 2,
} as const);
export type ChainAction = (typeof ChainAction)[keyof typeof ChainAction];

/**
 * The chain action for a result of `success` and `continueChain` (the HookResult's fields) on a
 * hook that is (`veto`) or is not veto-capable. A failure on a hook that cannot be vetoed is
 * recorded and the chain goes on.
 */
export function chainAction(veto: boolean, success: boolean, continueChain: unknown): ChainAction {
  if (veto) return success ? ChainAction.Continue : ChainAction.Veto;
  return continueChain === false ? ChainAction.Stop : ChainAction.Continue;
}

/**
 * Whether `data` may replace a hook's event: a JSON object (events are objects; `null`, arrays and
 * scalars would reach the host and the next handlers as something no event can be).
 */
export function isEventData(data: JsonValue | undefined): data is JsonObject {
  return typeof data === 'object' && data !== null && !Array.isArray(data);
}
