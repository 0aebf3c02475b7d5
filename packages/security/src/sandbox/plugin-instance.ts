// One plugin running in its own QuickJS engine, inside a worker: the coordinator of the engine
// (quickjs-engine.ts), the slicing of guest time under deadlines and the CPU budget
// (guest-clock.ts) and the call protocol (call-protocol.ts). It owns what they share: whether the
// instance is still alive, the host operations and timers in flight, and the handles into the
// engine. Every stretch of guest execution runs under an interrupt deadline and counts towards the
// plugin's CPU time; any breach drops the whole instance.
import type { QuickJSDeferredPromise, QuickJSHandle } from 'quickjs-emscripten-core';
import type { PluginScope } from '../capabilities/plugin-scope';
import { Breach } from './breach';
import { GuestCalls, type GuestSession } from './call-protocol';
import type { Engine, EngineInstance } from './engine';
import { GuestClock, type ActiveCall } from './guest-clock';
import { GuestTimers, MAX_PENDING_TIMERS } from './guest-timers';
import type { HostCalls } from './host-calls';
import { breachOfGuestError, breachOfTrap } from './limit-breaches';
import { cutMessage } from './message-cut';
import type { CallKind, CallResult, PluginUsage, WorkerPluginSpec } from './protocol';
import { installModuleLoader, nearMemoryCap, newQuickJs, startBridge, type EngineAssets, type QuickJs } from './quickjs-engine';

export class PluginInstance implements EngineInstance, GuestSession {
  private disposed: Breach | undefined;
  private readonly deferreds = new Set<QuickJSDeferredPromise>();
  /** The engine trapped (a WebAssembly-level failure): nothing may call into it any more. */
  private trapped = false;
  readonly clock: GuestClock;
  private readonly calls: GuestCalls;
  /** The guest's setTimeout/setInterval timers: they fire only inside a call (guest-timers.ts). */
  private readonly timers = new GuestTimers(
    (handle) => this.free(handle),
    () => this.fireTimers(),
  );

  private constructor(
    readonly spec: WorkerPluginSpec,
    private readonly engine: QuickJs,
    readonly scope: PluginScope,
    private readonly host: HostCalls,
    private readonly assets: EngineAssets,
  ) {
    this.clock = new GuestClock(spec, assets.activity);
    this.clock.attach(engine.runtime);
    installModuleLoader(engine.runtime, spec, assets, scope);
    const vm = engine.vm;
    const bridge = startBridge(vm, spec, assets, {
      sync: (op, args) => this.host.sync(op, args),
      async: (op, args) => this.startAsync(op, args),
      setTimer: (callback, delay, repeat) => this.setTimer(callback, delay, repeat),
      clearTimer: (id) => this.timers.clear(id),
    });
    this.calls = new GuestCalls(this, bridge);
  }

  static async create(spec: WorkerPluginSpec, assets: EngineAssets, scope: PluginScope, host: HostCalls): Promise<PluginInstance> {
    return new PluginInstance(spec, await newQuickJs(spec, assets), scope, host, assets);
  }

  get vm() {
    return this.engine.vm;
  }

  get apiSource(): string {
    return this.assets.apiSource;
  }

  get gone(): Breach | undefined {
    return this.disposed;
  }

  get alive(): boolean {
    return this.disposed === undefined;
  }

  usage(): PluginUsage {
    return {
      memory_bytes: this.engine.memory.buffer.byteLength,
      cpu_time_ms: Math.round(this.clock.cpuMs * 1000) / 1000,
      open_files: this.scope.openFiles,
      open_connections: this.scope.openConnections,
      calls: this.calls.count,
    };
  }

  load(): Promise<{ hooks: string[]; commands: string[] }> {
    return this.calls.load();
  }

  call(kind: CallKind, name: string, payload: string, deadlineMs?: number): CallResult | Promise<CallResult> {
    return this.calls.call(kind, name, payload, deadlineMs);
  }

  /** setTimeout/setInterval: a timer owned by the calls running now (guest/timers.ts validated the arguments). */
  private setTimer(callback: QuickJSHandle, delay: QuickJSHandle, repeat: QuickJSHandle) {
    const vm = this.vm;
    if (vm.typeof(callback) !== 'function' || this.clock.calls.size === 0) {
      return { error: vm.newError({ name: 'TypeError', message: 'a timer needs a function, set during a call' }) };
    }
    const ms = vm.typeof(delay) === 'number' ? vm.getNumber(delay) : 0;
    const every = vm.typeof(repeat) === 'boolean' && vm.dump(repeat) === true;
    const id = this.timers.add(callback, ms > 0 ? Math.min(ms, 2_147_483_647) : 0, every, [...this.clock.calls]);
    if (id === undefined) {
      return { error: vm.newError({ name: 'RangeError', message: `too many pending timers: at most ${MAX_PENDING_TIMERS} at once` }) };
    }
    return vm.newNumber(id);
  }

  /**
   * Runs the guest timers that are due, one callback at a time with its promise jobs after it, under
   * the running calls' deadline; never when no call is running. An exception a callback does not
   * catch is written to the plugin's log, as a browser reports it, and the call goes on.
   */
  private fireTimers(): void {
    if (this.disposed !== undefined || this.trapped || this.clock.calls.size === 0) return;
    this.timers.runDue(performance.now(), (callback) => {
      try {
        // A slice that starts past the deadline could finish before the interrupt handler is
        // polled: a chain of tiny callbacks would then run on after it.
        if (performance.now() >= this.clock.earliestDeadline()) {
          throw this.drop(this.clock.deadlineBreach());
        }
        const result = this.runGuest(() => this.vm.callFunction(callback, this.vm.undefined));
        if (result.error) {
          const breach = this.classify(result.error);
          if (breach === undefined) {
            const text = this.describeError(result.error);
            this.host.sync('log', JSON.stringify(['error', `uncaught exception in a timer callback: ${text}`, null]));
          }
          this.free(result.error);
          if (breach !== undefined) throw this.drop(breach);
        } else this.free(result.value);
        this.pump();
      } catch (error) {
        if (!(error instanceof Breach)) throw error;
      }
      return this.disposed === undefined;
    });
    this.clock.progressed();
  }

  /** A ctx call that takes time: returns a guest promise, resolved when the host operation ends. */
  private startAsync(op: string, args: string): QuickJSHandle {
    const deferred = this.vm.newPromise();
    this.deferreds.add(deferred);
    void this.host.async(op, args).then((text) => {
      if (this.disposed !== undefined) return;
      this.deferreds.delete(deferred);
      if (this.clock.calls.size === 0) {
        // The call that started the operation has returned: its result is dropped, and the guest
        // code waiting for it never runs (no guest code runs between calls, outside any deadline).
        if (deferred.alive && !this.trapped) deferred.dispose();
        return;
      }
      const value = this.vm.newString(text);
      deferred.resolve(value);
      this.free(value);
      this.pump();
      this.clock.progressed();
    });
    return deferred.handle;
  }

  /** Runs guest code under the earliest active deadline and the remaining CPU budget. */
  runGuest<T>(run: () => T): T {
    if (this.disposed !== undefined) throw this.disposed;
    // Guest code runs only inside a call, under that call's deadline; there is no other budget.
    if (this.clock.calls.size === 0) throw new Breach('HANDLER_FAILED', `plugin '${this.spec.name}' tried to run outside a call`);
    return this.clock.slice(run, (error) => this.drop(this.engineFailure(error)));
  }

  nearMemoryCap(): boolean {
    return nearMemoryCap(this.engine.memory, this.spec.limits);
  }

  hasPendingJobs(): boolean {
    return !this.trapped && this.engine.runtime.hasPendingJob();
  }

  /** Frees a handle unless the engine can no longer be called into. */
  free(handle: QuickJSHandle): void {
    if (this.trapped || !handle.alive) return;
    try {
      handle.dispose();
    } catch {
      this.trapped = true;
    }
  }

  /** A host-side exception out of the engine: the engine is not called into again. */
  private engineFailure(error: unknown): Breach {
    if (error instanceof Breach) return error;
    this.trapped = true;
    return breachOfTrap(this.spec, error, () => this.nearMemoryCap());
  }

  /** Runs queued promise jobs. */
  pump(): void {
    if (this.disposed !== undefined) return;
    try {
      const result = this.runGuest(() => this.engine.runtime.executePendingJobs());
      if (result.error) {
        const breach = this.classify(result.error);
        this.free(result.error);
        if (breach !== undefined) throw this.drop(breach);
      }
    } catch (error) {
      if (!(error instanceof Breach)) throw error;
      this.clock.progressed();
    }
  }

  /** Reads an error's name and message inside the VM, under a short deadline of its own. */
  describeError(error: QuickJSHandle): string {
    try {
      const guard: ActiveCall = { deadline: performance.now() + 50, ms: 50 };
      this.clock.calls.add(guard);
      try {
        return this.runGuest(() => {
          const name = this.vm.getProp(error, 'name');
          const message = this.vm.getProp(error, 'message');
          const text =
            `${this.vm.typeof(name) === 'string' ? this.vm.getString(name) : 'Error'}: ` +
            `${this.vm.typeof(message) === 'string' ? this.vm.getString(message) : ''}`;
          this.free(name);
          this.free(message);
          return cutMessage(text);
        });
      } finally {
        this.leave(guard);
      }
    } catch {
      return 'Error: (could not be described)';
    }
  }

  /** A limit an error stands for, if it stands for one. */
  classify(error: QuickJSHandle): Breach | undefined {
    const text = this.describeError(error);
    // Out of memory, QuickJS may fail to build the error itself: an empty or null one near the cap.
    const hollow = text === 'Error: ' || text === 'Error: (could not be described)' || this.vm.typeof(error) !== 'object';
    return breachOfGuestError(this.spec, text, hollow, () => this.nearMemoryCap());
  }

  /** A call (or a guard) stops running: the timers only it owned are dropped, never to fire. */
  leave(call: ActiveCall): void {
    this.clock.calls.delete(call);
    if (this.timers.size > 0 && this.disposed === undefined) this.timers.sweep((owner) => this.clock.calls.has(owner as ActiveCall));
  }

  /** Marks the instance gone and frees it; returns the breach to throw. */
  drop(breach: Breach): Breach {
    if (this.disposed !== undefined) return this.disposed;
    this.disposed = breach;
    this.clock.progressed();
    this.release();
    return breach;
  }

  /**
   * Lets the engine go. Its runtime is not disposed: QuickJS aborts the whole WebAssembly module
   * when a runtime is freed while any handle is alive, which after an interrupt or out-of-memory
   * cannot be ruled out. The engine, its memory and every handle belong to this instance alone, so
   * dropping the references frees them all at the next garbage collection.
   */
  private release(): void {
    this.timers.abandon();
    this.deferreds.clear();
    this.calls.release();
  }

  dispose(): void {
    this.drop(new Breach('DISPOSED', `plugin '${this.spec.name}' was unloaded`));
  }
}

/** The QuickJS engine: every instance gets its own WebAssembly instance and memory. */
export function quickJsEngine(assets: EngineAssets): Engine {
  return {
    name: 'quickjs',
    create: (spec, scope, host) => PluginInstance.create(spec, assets, scope, host),
  };
}
