import { HOOK_TYPES, isHookType, isVetoHook, type HookEventMap, type HookType } from '@marathon/plugin-api';
import { EventsError } from './errors';
import { CompiledDispatch } from './compile-dispatch';
import { Outcome } from './dispatch-outcome';
import { Dispatcher, type HandlerList } from './dispatcher';
import { IMPLICIT_SUCCESS } from './handler-result';
import { insertByPriority, type HandlerEntry } from './handler-entry';
import { DEFAULT_HISTORY_CAPACITY, EventHistory } from './history';
import { LifecycleEvents } from './lifecycle';
import { HookMetricsTable } from './metrics';
import type { DispatchOutcome, Handler, HookDataMap, RegisteredHandler, RegisterOptions, Registration } from './types';

export interface ObservabilityOptions {
  /** Record every handler call in the bounded event history. */
  history?: boolean;
  /** Keep the handler's input data, as JSON cut at 1 KiB, in history records. Off by default: it may hold secrets. */
  recordData?: boolean;
  /** Count calls, failures and durations per plugin × hook. */
  metrics?: boolean;
}

export interface HookBusOptions extends ObservabilityOptions {
  /** How long an async handler may take, in ms, unless its registration says otherwise. Default 5000. */
  handlerTimeoutMs?: number;
  /** Handlers slower than this (ms) are announced as 'hook:slow'. Default 1000. */
  slowHandlerMs?: number;
  /** Records the history keeps. Default 1000. */
  historyCapacity?: number;
}

const REGISTER_OPTION_KEYS = new Set(['owner', 'priority', 'canWrite', 'timeoutMs']);

function checkTimeout(value: unknown, where: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new EventsError(
      'INVALID_TIMEOUT',
      `${where} must be a number of milliseconds above 0 (or Infinity for none), got ${String(value)}`,
    );
  }
  return value;
}

interface HookSlot {
  list: HandlerList;
  /** The generated code that runs `list`: made on first dispatch. */
  code: CompiledDispatch | undefined;
}

function makeList(hook: HookType, entries: readonly HandlerEntry[]): HandlerList {
  return Object.freeze({
    hook,
    entries: Object.freeze(entries.slice()),
    owners: Object.freeze(entries.map((entry) => entry.owner)),
    implicit: Object.freeze(entries.map((entry) => entry.implicit)),
    veto: isVetoHook(hook),
  });
}

function unknownHook(hook: unknown): EventsError {
  return new EventsError('UNKNOWN_HOOK', `unknown hook '${String(hook)}'; hooks are ${HOOK_TYPES.join(', ')}`);
}

/**
 * The hook bus: handlers per hook in priority order, one outcome per dispatch, with chain control,
 * veto, waterfall, timeouts, history and metrics.
 *
 * Dispatch runs synchronous handlers synchronously: when none returns a promise, `dispatch`
 * returns the outcome itself rather than a promise. `await` it either way.
 */
export class HookBus<D extends HookDataMap = HookEventMap> {
  readonly lifecycle = new LifecycleEvents();
  readonly metrics = new HookMetricsTable();
  readonly history: EventHistory;
  private readonly dispatcher: Dispatcher;
  /** Per hook: its handler list, and the generated code that runs it (made on first dispatch). */
  private readonly slots: Record<HookType, HookSlot>;
  private readonly handlerTimeoutMs: number;

  constructor(options: HookBusOptions = {}) {
    this.handlerTimeoutMs = options.handlerTimeoutMs === undefined ? 5000 : checkTimeout(options.handlerTimeoutMs, 'handlerTimeoutMs');
    const slowHandlerMs = options.slowHandlerMs === undefined ? 1000 : checkTimeout(options.slowHandlerMs, 'slowHandlerMs');
    this.history = new EventHistory(options.historyCapacity ?? DEFAULT_HISTORY_CAPACITY);
    this.dispatcher = new Dispatcher(this.history, this.lifecycle, slowHandlerMs);
    // A plain object with every hook: a keyed property load is cheaper than Map#get on every dispatch.
    this.slots = Object.fromEntries(HOOK_TYPES.map((hook) => [hook, { list: makeList(hook, []), code: undefined }])) as Record<
      HookType,
      HookSlot
    >;
    this.configure({ history: options.history ?? true, metrics: options.metrics ?? true, recordData: options.recordData ?? false });
  }

  /** Switches history and metrics on or off while the bus runs. */
  configure(options: ObservabilityOptions): void {
    const dispatcher = this.dispatcher;
    if (options.history !== undefined) dispatcher.historyOn = options.history;
    if (options.metrics !== undefined) dispatcher.metricsOn = options.metrics;
    if (options.recordData !== undefined) dispatcher.recordData = options.recordData;
    dispatcher.observing = dispatcher.historyOn || dispatcher.metricsOn;
  }

  get observability(): Required<ObservabilityOptions> {
    const { historyOn, metricsOn, recordData } = this.dispatcher;
    return { history: historyOn, metrics: metricsOn, recordData };
  }

  register<K extends HookType>(hook: K, handler: Handler<D[K]>, options: RegisterOptions): Registration {
    if (!isHookType(hook)) throw unknownHook(hook);
    if (typeof handler !== 'function') {
      throw new EventsError(
        'INVALID_HANDLER',
        `the handler for ${hook} must be a function, got ${handler === null ? 'null' : typeof handler}`,
      );
    }
    if (typeof options !== 'object' || options === null) {
      throw new EventsError('INVALID_OPTION', `register(${hook}, handler, options): options must be an object with at least an owner`);
    }
    for (const key of Object.keys(options)) {
      if (!REGISTER_OPTION_KEYS.has(key)) {
        throw new EventsError('INVALID_OPTION', `unknown register option '${key}'; options are ${[...REGISTER_OPTION_KEYS].join(', ')}`);
      }
    }
    const { owner, priority = 0, canWrite = false } = options;
    if (typeof owner !== 'string' || owner.length === 0) {
      throw new EventsError('INVALID_OWNER', `the handler for ${hook} needs an owner: the name of the plugin it belongs to`);
    }
    if (typeof priority !== 'number' || !Number.isFinite(priority)) {
      throw new EventsError('INVALID_PRIORITY', `priority of ${owner}'s ${hook} handler must be a finite number, got ${String(priority)}`);
    }
    if (typeof canWrite !== 'boolean') {
      throw new EventsError('INVALID_OPTION', `canWrite of ${owner}'s ${hook} handler must be true or false`);
    }
    const timeoutMs = options.timeoutMs === undefined ? this.handlerTimeoutMs : checkTimeout(options.timeoutMs, 'timeoutMs');
    this.dispatcher.watchdog.need(timeoutMs);
    const list = this.slots[hook].list;
    const existing = list.entries.find((entry) => entry.handler === handler);
    if (existing !== undefined) {
      throw new EventsError(
        'DUPLICATE_HANDLER',
        `this handler is already registered for ${hook} (by ${existing.owner}); unregister it first`,
      );
    }
    const entry: HandlerEntry = {
      handler: handler as Handler<never>,
      info: Object.freeze({ hook, owner }),
      hook,
      owner,
      priority,
      canWrite,
      timeoutMs,
      cell: this.metrics.cell(owner, hook),
      implicit: Object.freeze({ plugin: owner, result: IMPLICIT_SUCCESS }),
      active: true,
    };
    this.replace(hook, insertByPriority(list.entries, entry));
    return { hook, owner, priority, canWrite, timeoutMs, unregister: () => this.remove(entry) };
  }

  /** Removes a handler from a hook; false when it was not registered there. */
  unregister<K extends HookType>(hook: K, handler: Handler<D[K]>): boolean {
    const entry = isHookType(hook) ? this.slots[hook].list.entries.find((candidate) => candidate.handler === handler) : undefined;
    return entry === undefined ? false : this.remove(entry);
  }

  /** Removes every handler of an owner, on every hook (disabling a plugin); returns how many. */
  unregisterOwner(owner: string): number {
    let removed = 0;
    for (const { list } of Object.values(this.slots)) {
      for (const entry of list.entries) if (entry.owner === owner && this.remove(entry)) removed += 1;
    }
    return removed;
  }

  /** The owners of a hook's handlers in the order they run: one shared array per registration change, not a copy per call. */
  owners(hook: HookType): readonly string[] {
    return isHookType(hook) ? this.slots[hook].list.owners : [];
  }

  /** The handlers of a hook in the order they run. */
  handlers(hook: HookType): RegisteredHandler[] {
    return (isHookType(hook) ? this.slots[hook].list.entries : []).map(({ owner, priority, canWrite }) => ({
      hook,
      owner,
      priority,
      canWrite,
    }));
  }

  private remove(entry: HandlerEntry): boolean {
    if (!entry.active) return false;
    entry.active = false;
    this.replace(
      entry.hook,
      this.slots[entry.hook].list.entries.filter((candidate) => candidate !== entry),
    );
    return true;
  }

  private replace(hook: HookType, entries: readonly HandlerEntry[]): void {
    const slot = this.slots[hook];
    slot.list = makeList(hook, entries);
    slot.code = undefined;
  }

  /**
   * Runs the hook's handlers in priority order with `data` and returns the outcome — synchronously
   * when no handler returned a promise. Never rejects because of a handler: throws and timeouts
   * become failed results.
   */
  dispatch<K extends HookType>(hook: K, data: D[K]): DispatchOutcome<D[K]> | Promise<DispatchOutcome<D[K]>> {
    // No isHookType() here, on the hot path: a name that is not a hook finds nothing, or a member
    // of Object.prototype, and neither has a list.
    const slot = this.slots[hook] as HookSlot | undefined;
    if (slot?.list === undefined) throw unknownHook(hook);
    const outcome = new Outcome(hook, data, slot.list.implicit);
    const code = (slot.code ??= new CompiledDispatch(slot.list, this.dispatcher));
    return code.current().start(outcome as Outcome<unknown>) as Outcome<D[K]> | Promise<Outcome<D[K]>>;
  }
}
