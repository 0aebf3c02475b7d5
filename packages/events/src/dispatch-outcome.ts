import type { HookType } from '@marathon/plugin-api';
import type { DispatchOutcome, HandlerOutcome } from './types';

/**
 * The outcome a dispatch fills in. While every handler so far returned nothing, `results` is the
 * list's shared, frozen array of "implicit success" outcomes (no allocation per call); the first
 * explicit result, skip or early stop replaces it with an array of the dispatch's own.
 */
export class Outcome<D> implements DispatchOutcome<D> {
  readonly hook: HookType;
  data: D;
  results: readonly HandlerOutcome[];
  vetoed: boolean;
  // Declared, not initialised: they exist only on outcomes that were stopped or vetoed, and the
  // common outcome stays a four-field object.
  declare stoppedBy?: string;
  declare vetoedBy?: string;
  declare vetoReason?: string;

  /** @param implicit the list's shared implicit results: what each entry returning nothing records. */
  constructor(hook: HookType, data: D, implicit: readonly HandlerOutcome[]) {
    this.hook = hook;
    this.data = data;
    this.results = implicit;
    this.vetoed = false;
  }
}

/**
 * Gives the outcome an array of its own holding the results of entries before `index`, all of
 * which returned nothing (that is what sharing `implicit` meant); later results are pushed.
 */
export function ownResults<D>(outcome: Outcome<D>, implicit: readonly HandlerOutcome[], index: number): HandlerOutcome[] {
  if (outcome.results === implicit) outcome.results = implicit.slice(0, index);
  return outcome.results as HandlerOutcome[];
}
