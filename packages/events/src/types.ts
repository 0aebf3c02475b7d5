import type { HookEventMap, HookResult, HookType } from '@marathon/plugin-api';

/** What the bus tells a handler besides the data: which hook it runs for and as whom. */
export interface HandlerInfo {
  readonly hook: HookType;
  readonly owner: string;
}

/**
 * A hook handler: any function, sync or async. Returning nothing counts as success; anything else
 * must be a HookResult.
 */
export type Handler<D = unknown> = (data: D, info: HandlerInfo) => HookResult | void | Promise<HookResult | void>;

/** The data each hook carries; defaults to plugin-api's events, a host may bring its own. */
export type HookDataMap = { [K in HookType]: unknown };

export interface RegisterOptions {
  /** The plugin (or host part) the handler belongs to; unregisterOwner drops all of them at once. */
  owner: string;
  /** Higher runs first; ties run in registration order. Default 0. */
  priority?: number;
  /**
   * Whether the handler's `result_data` replaces the data for the handlers after it (waterfall).
   * The manager sets it for plugins holding task_write. Default false.
   */
  canWrite?: boolean;
  /** Milliseconds an async handler may take; overrides the bus's handlerTimeoutMs. */
  timeoutMs?: number;
}

/** A registered handler, as listed by HookBus.handlers(). */
export interface RegisteredHandler {
  readonly hook: HookType;
  readonly owner: string;
  readonly priority: number;
  readonly canWrite: boolean;
}

export interface Registration extends RegisteredHandler {
  /** Milliseconds the bus waits for this handler's promise (its timeoutMs, or the bus's handlerTimeoutMs). */
  readonly timeoutMs: number;
  /** Removes the handler; false when it was already gone. */
  unregister(): boolean;
}

/** Why a handler's call failed without the handler saying so itself. */
export type HandlerFault = 'threw' | 'timeout' | 'invalid_result';

export interface HandlerOutcome {
  plugin: string;
  result: HookResult;
  /** Set when the handler threw, timed out or returned something that is not a HookResult. */
  fault?: HandlerFault;
}

export interface DispatchOutcome<D = unknown> {
  hook: HookType;
  /** The data after the handlers: the input, or the last `result_data` of a handler that may write. */
  data: D;
  /**
   * Each handler that ran, in order. Read-only: when no handler returned anything, it is an array
   * shared, frozen, by every such dispatch of the same handlers.
   */
  readonly results: readonly HandlerOutcome[];
  /** The plugin whose result had `continue_chain: false`, if any. */
  stoppedBy?: string;
  /** On veto-capable hooks: a failed result (or a throw, a timeout) refuses the operation. */
  vetoed: boolean;
  vetoedBy?: string;
  /** "plugin 'x' vetoed pre_task_submit: <its reason>", for operators. */
  vetoReason?: string;
}

export type { HookEventMap };
