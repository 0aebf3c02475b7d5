/// <reference path="./webassembly.d.ts" />
// One plugin running in its own QuickJS engine, inside a worker. Each instance has its own
// WebAssembly instance and memory (made from the worker's one compiled module), because a memory
// cap set inside QuickJS does not hold (upstream quickjs-emscripten #255, #271) while a
// WebAssembly.Memory's maximum does. Every stretch of guest execution runs under an interrupt
// deadline and counts towards the plugin's CPU time; any breach drops the whole instance.
import variant from '@jitl/quickjs-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSDeferredPromise,
  type QuickJSHandle,
  type QuickJSRuntime,
} from 'quickjs-emscripten-core';
import type { SandboxErrorCode } from '../errors';
import type { PluginScope } from '../capabilities/plugin-scope';
import { PRELUDE_MODULE } from './guest-modules';
import type { PreludeInfo, PreludeModule } from './guest/prelude';
import { MAX_STACK_CHARS } from './guest-stack';
import type { Engine, EngineInstance } from './engine';
import { GuestTimers, MAX_PENDING_TIMERS } from './guest-timers';
import type { HostCalls } from './host-calls';
import { cpuLimitMessage, deadlineMessage, memoryLimitMessage, stackLimitMessage } from './breach-message';
import { loadModuleSource, normalizeImport } from './module-resolution';
import type { CallKind, CallResult, PluginUsage, WorkerPluginSpec } from './protocol';
import { readDescription, readEnvelope } from './result-envelope';
import { ACTIVITY_SLOT } from './worker-progress';

const WASM_PAGE = 64 * 1024;
/** Pages QuickJS's module declares as its initial memory (16 MiB). */
const ENGINE_INITIAL_PAGES = 256;

function nanosecondsSince(started: number): number {
  return Math.round((performance.now() - started) * 1e6);
}

/** What every instance in a worker shares: the compiled engine and the plugin-api runtime's source. */
export interface EngineAssets {
  wasmModule: WebAssembly.Module;
  apiSource: string;
  /** The compiled guest modules behind the standard globals, by name (guest-modules.ts). */
  guestModules: ReadonlyMap<string, string>;
  /**
   * Shared with the host's watchdog (worker-progress.ts): slot ACTIVITY_SLOT holds the key of the instance running
   * guest code at this moment (0 when none), so a worker stopped for an overrun blames the plugin
   * that was running rather than whichever call was waiting behind it.
   */
  activity?: Int32Array;
}


/** A broken limit or an engine failure: the instance is gone. */
export class Breach extends Error {
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface ActiveCall {
  deadline: number;
  /** The deadline as a duration, for the message that reports it. */
  ms: number;
}

export class PluginInstance implements EngineInstance {
  private cpuMs = 0;
  private calls = 0;
  private sliceLimit = Number.POSITIVE_INFINITY;
  private interrupted = false;
  private disposed: Breach | undefined;
  private readonly deferreds = new Set<QuickJSDeferredPromise>();
  private readonly activeCalls = new Set<ActiveCall>();
  private readonly waiters = new Set<() => void>();
  /** Handles of the few call targets ('hook:post_task_execute', …) used again and again, made once. */
  private readonly constants = new Map<string, QuickJSHandle>();
  private bridge: QuickJSHandle | undefined;
  /** The engine trapped (a WebAssembly-level failure): nothing may call into it any more. */
  private trapped = false;
  private invokeFn: QuickJSHandle | undefined;
  /** The guest's setTimeout/setInterval timers: they fire only inside a call (guest-timers.ts). */
  private readonly timers = new GuestTimers(
    (handle) => this.free(handle),
    () => this.fireTimers(),
  );

  private constructor(
    readonly spec: WorkerPluginSpec,
    private readonly memory: WebAssembly.Memory,
    private readonly runtime: QuickJSRuntime,
    private readonly vm: QuickJSContext,
    private readonly scope: PluginScope,
    private readonly host: HostCalls,
    private readonly assets: EngineAssets,
  ) {}

  static async create(spec: WorkerPluginSpec, assets: EngineAssets, scope: PluginScope, host: HostCalls): Promise<PluginInstance> {
    const memory = new WebAssembly.Memory({
      initial: ENGINE_INITIAL_PAGES,
      maximum: Math.max(ENGINE_INITIAL_PAGES, Math.floor(spec.limits.max_memory / WASM_PAGE)),
    });
    const module = await newQuickJSWASMModuleFromVariant(
      newVariant(variant, {
        wasmMemory: memory,
        emscriptenModule: {
          // Instantiated synchronously from the worker's compiled module: the asynchronous path
          // waits on the event loop and took most of a plugin's load time.
          instantiateWasm(imports: WebAssembly.Imports, onSuccess: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
            const instance = new WebAssembly.Instance(assets.wasmModule, imports);
            onSuccess(instance, assets.wasmModule);
            return instance.exports;
          },
        } as never,
      }),
    );
    const runtime = module.newRuntime();
    runtime.setMaxStackSize(spec.limits.max_stack_bytes);
    const vm = runtime.newContext();
    const instance = new PluginInstance(spec, memory, runtime, vm, scope, host, assets);
    instance.install();
    return instance;
  }

  get alive(): boolean {
    return this.disposed === undefined;
  }

  usage(): PluginUsage {
    return {
      memory_bytes: this.memory.buffer.byteLength,
      cpu_time_ms: Math.round(this.cpuMs * 1000) / 1000,
      open_files: this.scope.openFiles,
      open_connections: this.scope.openConnections,
      calls: this.calls,
    };
  }

  private install(): void {
    const { runtime, vm } = this;
    runtime.setInterruptHandler(() => {
      if (performance.now() <= this.sliceLimit) return false;
      this.interrupted = true;
      return true;
    });
    runtime.setModuleLoader(
      (name) => {
        const loaded = loadModuleSource(name, this.spec.dir, this.assets.apiSource);
        if (loaded.ok) return loaded.source;
        this.scope.audit('import', loaded.request, false, loaded.message);
        return { error: new Error(loaded.message) };
      },
      (base, requested) => normalizeImport(base, requested),
    );
    const hostSync = vm.newFunction('hostSync', (op, args) => vm.newString(this.host.sync(vm.getString(op), vm.getString(args))));
    const hostAsync = vm.newFunction('hostAsync', (op, args) => this.startAsync(vm.getString(op), vm.getString(args)));
    const hostLoad = vm.newFunction('hostLoad', (name) => this.loadGuestModule(name));
    const hostSetTimer = vm.newFunction('hostSetTimer', (callback, delay, repeat) => this.setTimer(callback, delay, repeat));
    const hostClearTimer = vm.newFunction('hostClearTimer', (id) => {
      if (vm.typeof(id) === 'number') this.timers.clear(vm.getNumber(id));
    });
    const preludeInfo: PreludeInfo = {
      name: this.spec.name,
      version: this.spec.version,
      permissions: this.spec.permissions,
      maxChars: this.spec.limits.max_result_bytes,
      maxStackChars: MAX_STACK_CHARS,
    };
    const info = vm.newString(JSON.stringify(preludeInfo));
    try {
      // The prelude is a guest module (guest/prelude.ts) evaluated here, before any plugin code,
      // and never through hostLoad: its createBridge(hostSync, …) is the bridge's one maker.
      const source = this.assets.guestModules.get(PRELUDE_MODULE);
      if (source === undefined) throw new Error(`the sandbox's guest prelude is missing: build @marathon/security`);
      const wrapper = vm.unwrapResult(vm.evalCode(source, `marathon:${PRELUDE_MODULE}.js`, { type: 'global' }));
      const exports = vm.newObject();
      vm.unwrapResult(vm.callFunction(wrapper, vm.undefined, exports)).dispose();
      wrapper.dispose();
      const factory = vm.getProp(exports, 'createBridge' satisfies keyof PreludeModule);
      exports.dispose();
      this.bridge = vm.unwrapResult(vm.callFunction(factory, vm.undefined, hostSync, hostAsync, info, hostLoad, hostSetTimer, hostClearTimer));
      factory.dispose();
      this.invokeFn = vm.getProp(this.bridge, 'invoke');
    } finally {
      hostSync.dispose();
      hostAsync.dispose();
      hostLoad.dispose();
      hostSetTimer.dispose();
      hostClearTimer.dispose();
      info.dispose();
    }
  }

  /** A guest module's function of (exports, require), compiled now: the prelude asks once per module. */
  private loadGuestModule(name: QuickJSHandle) {
    const key = this.vm.typeof(name) === 'string' ? this.vm.getString(name) : '';
    const source = key === PRELUDE_MODULE ? undefined : this.assets.guestModules.get(key);
    if (source === undefined) return { error: this.vm.newError({ name: 'Error', message: `no sandbox module named '${key.slice(0, 64)}'` }) };
    return this.vm.evalCode(source, `marathon:${key}.js`, { type: 'global' });
  }

  /** setTimeout/setInterval: a timer owned by the calls running now (guest/timers.ts validated the arguments). */
  private setTimer(callback: QuickJSHandle, delay: QuickJSHandle, repeat: QuickJSHandle) {
    const vm = this.vm;
    if (vm.typeof(callback) !== 'function' || this.activeCalls.size === 0) {
      return { error: vm.newError({ name: 'TypeError', message: 'a timer needs a function, set during a call' }) };
    }
    const ms = vm.typeof(delay) === 'number' ? vm.getNumber(delay) : 0;
    const every = vm.typeof(repeat) === 'boolean' && vm.dump(repeat) === true;
    const id = this.timers.add(callback, ms > 0 ? Math.min(ms, 2_147_483_647) : 0, every, [...this.activeCalls]);
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
    if (this.disposed !== undefined || this.trapped || this.activeCalls.size === 0) return;
    this.timers.runDue(performance.now(), (callback) => {
      try {
        // A slice that starts past the deadline could finish before the interrupt handler is
        // polled: a chain of tiny callbacks would then run on after it.
        if (performance.now() >= this.earliestDeadline()) {
          throw this.drop(this.deadlineBreach());
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
    this.notifyProgress();
  }

  /** A cached handle for a value passed on every call; past the cache's size, a temporary one for `temporaries`. */
  private constant(value: string, temporaries: QuickJSHandle[]): QuickJSHandle {
    let handle = this.constants.get(value);
    if (handle === undefined) {
      handle = this.vm.newString(value);
      if (this.constants.size < 64) this.constants.set(value, handle);
      else temporaries.push(handle);
    }
    return handle;
  }

  /** A ctx call that takes time: returns a guest promise, resolved when the host operation ends. */
  private startAsync(op: string, args: string): QuickJSHandle {
    const deferred = this.vm.newPromise();
    this.deferreds.add(deferred);
    void this.host.async(op, args).then((text) => {
      if (this.disposed !== undefined) return;
      this.deferreds.delete(deferred);
      if (this.activeCalls.size === 0) {
        // The call that started the operation has returned: its result is dropped, and the guest
        // code waiting for it never runs (no guest code runs between calls, outside any deadline).
        if (deferred.alive && !this.trapped) deferred.dispose();
        return;
      }
      const value = this.vm.newString(text);
      deferred.resolve(value);
      this.free(value);
      this.pump();
      this.notifyProgress();
    });
    return deferred.handle;
  }

  private notifyProgress(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** The breach of the call whose deadline passed (the earliest active one unless `call` is given). */
  private deadlineBreach(call?: ActiveCall): Breach {
    let due = call;
    if (due === undefined) for (const active of this.activeCalls) if (due === undefined || active.deadline < due.deadline) due = active;
    const ms = due?.ms ?? this.spec.limits.call_deadline_ms;
    return new Breach('DEADLINE_EXCEEDED', deadlineMessage(this.spec.name, ms));
  }

  private earliestDeadline(): number {
    let deadline = Number.POSITIVE_INFINITY;
    for (const call of this.activeCalls) deadline = Math.min(deadline, call.deadline);
    return deadline;
  }

  /** Runs guest code under the earliest active deadline and the remaining CPU budget. */
  private runGuest<T>(run: () => T): T {
    if (this.disposed !== undefined) throw this.disposed;
    // Guest code runs only inside a call, under that call's deadline; there is no other budget.
    if (this.activeCalls.size === 0) throw new Breach('HANDLER_FAILED', `plugin '${this.spec.name}' tried to run outside a call`);
    const started = performance.now();
    const deadline = this.earliestDeadline();
    const activity = this.assets.activity;
    const before = activity === undefined ? 0 : Atomics.exchange(activity, ACTIVITY_SLOT, this.spec.key);
    const cpuLeft = this.spec.limits.max_cpu_time_ms - this.cpuMs;
    this.sliceLimit = Math.min(deadline, started + cpuLeft);
    const cpuBound = started + cpuLeft < deadline;
    this.interrupted = false;
    let result: T;
    try {
      result = run();
    } catch (error) {
      throw this.drop(this.engineFailure(error));
    } finally {
      this.cpuMs += performance.now() - started;
      this.sliceLimit = Number.POSITIVE_INFINITY;
      if (activity !== undefined) Atomics.store(activity, ACTIVITY_SLOT, before);
    }
    if (this.interrupted) {
      throw this.drop(
        cpuBound
          ? new Breach('CPU_LIMIT_EXCEEDED', cpuLimitMessage(this.spec.name, this.spec.limits))
          : this.deadlineBreach(),
      );
    }
    return result;
  }

  /**
   * Whether the plugin's memory has grown close to its maximum. The engine grows memory in large
   * steps, so the step that failed may have asked for more than the last few pages left.
   */
  private nearMemoryCap(): boolean {
    return this.memory.buffer.byteLength >= 0.9 * Math.max(this.spec.limits.max_memory, ENGINE_INITIAL_PAGES * WASM_PAGE);
  }

  /** Frees a handle unless the engine can no longer be called into. */
  private free(handle: QuickJSHandle): void {
    if (this.trapped || !handle.alive) return;
    try {
      handle.dispose();
    } catch {
      this.trapped = true;
    }
  }

  /** A host-side exception out of the engine: WebAssembly trapped (out of memory, most often). */
  private engineFailure(error: unknown): Breach {
    if (error instanceof Breach) return error;
    this.trapped = true;
    if (this.nearMemoryCap() || /OOM|out of memory|memory/i.test(String((error as Error)?.message))) {
      return new Breach('MEMORY_LIMIT_EXCEEDED', memoryLimitMessage(this.spec.name, this.spec.limits));
    }
    return new Breach('HANDLER_FAILED', `plugin '${this.spec.name}' crashed its engine`);
  }

  /** Runs queued promise jobs. */
  private pump(): void {
    if (this.disposed !== undefined) return;
    try {
      const result = this.runGuest(() => this.runtime.executePendingJobs());
      if (result.error) {
        const breach = this.classify(result.error);
        this.free(result.error);
        if (breach !== undefined) throw this.drop(breach);
      }
    } catch (error) {
      if (!(error instanceof Breach)) throw error;
      this.notifyProgress();
    }
  }

  /** Reads an error's name and message inside the VM, under a short deadline of its own. */
  private describeError(error: QuickJSHandle): string {
    try {
      const guard: ActiveCall = { deadline: performance.now() + 50, ms: 50 };
      this.activeCalls.add(guard);
      try {
        return this.runGuest(() => {
          const name = this.vm.getProp(error, 'name');
          const message = this.vm.getProp(error, 'message');
          const text = `${this.vm.typeof(name) === 'string' ? this.vm.getString(name) : 'Error'}: ${this.vm.typeof(message) === 'string' ? this.vm.getString(message) : ''}`;
          this.free(name);
          this.free(message);
          return text.length > 2000 ? `${text.slice(0, 2000)}...` : text;
        });
      } finally {
        this.leave(guard);
      }
    } catch {
      return 'Error: (could not be described)';
    }
  }

  /** A limit an error stands for, if it stands for one. */
  private classify(error: QuickJSHandle): Breach | undefined {
    const text = this.describeError(error);
    // Out of memory, QuickJS may fail to build the error itself: an empty or null one near the cap.
    const hollow = text === 'Error: ' || text === 'Error: (could not be described)' || this.vm.typeof(error) !== 'object';
    if (/^InternalError: out of memory/.test(text) || (hollow && this.nearMemoryCap())) {
      return new Breach('MEMORY_LIMIT_EXCEEDED', memoryLimitMessage(this.spec.name, this.spec.limits));
    }
    if (/^InternalError: stack overflow/.test(text) || /^RangeError: Maximum call stack/.test(text)) {
      return new Breach('STACK_OVERFLOW', stackLimitMessage(this.spec.name, this.spec.limits));
    }
    return undefined;
  }

  /** Marks the instance gone and frees it; returns the breach to throw. */
  drop(breach: Breach): Breach {
    if (this.disposed !== undefined) return this.disposed;
    this.disposed = breach;
    this.notifyProgress();
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
    this.invokeFn = undefined;
    this.bridge = undefined;
  }

  dispose(): void {
    this.drop(new Breach('DISPOSED', `plugin '${this.spec.name}' was unloaded`));
  }

  /** Evaluates the main module and registers its default export; returns the names it implements. */
  async load(): Promise<{ hooks: string[]; commands: string[] }> {
    const call: ActiveCall = { deadline: performance.now() + this.spec.limits.call_deadline_ms, ms: this.spec.limits.call_deadline_ms };
    this.activeCalls.add(call);
    this.scope.startCall(this.spec.limits.call_deadline_ms);
    try {
      const name = `/${this.spec.main}`;
      const main = loadModuleSource(name, this.spec.dir, this.assets.apiSource);
      if (!main.ok) throw new Breach('LOAD_FAILED', main.message.replace(`cannot import '${main.request}'`, `cannot load main module '${this.spec.main}'`));
      const evaluated = this.runGuest(() => this.vm.evalCode(main.source, name, { type: 'module' }));
      if (evaluated.error) {
        const text = this.describeError(evaluated.error);
        this.free(evaluated.error);
        throw new Breach('LOAD_FAILED', `plugin '${this.spec.name}' failed to load: ${text}`);
      }
      const namespace = await this.settleLoad(evaluated.value, call);
      const described = this.callBridge('register', namespace);
      if (described.error) {
        const text = this.describeError(described.error);
        this.free(described.error);
        throw new Breach('LOAD_FAILED', `plugin '${this.spec.name}' failed to load: ${text.replace(/^Error: /, '')}`);
      }
      const json = this.vm.typeof(described.value) === 'string' ? this.vm.getString(described.value) : '';
      this.free(described.value);
      const description = readDescription(json);
      if (description === undefined) throw new Breach('LOAD_FAILED', `plugin '${this.spec.name}' failed to load: its code described itself with something that is not a list of hooks and commands`);
      return description;
    } catch (error) {
      if (error instanceof Breach) throw this.drop(error);
      throw error;
    } finally {
      this.endCall(call);
    }
  }

  /** Waits for the module's evaluation to settle; a rejection fails the load with its description. */
  private async settleLoad(handle: QuickJSHandle, call: ActiveCall): Promise<QuickJSHandle> {
    const settled = await this.settleEither(handle, call);
    if (!settled.rejected) return settled.handle;
    const text = this.describeError(settled.handle);
    this.free(settled.handle);
    throw new Breach('LOAD_FAILED', `plugin '${this.spec.name}' failed to load: ${text}`);
  }

  /**
   * Waits for a guest promise (or plain value) to settle: its value, or its rejection reason with
   * `rejected` set. A rejection that stands for a broken limit (out of memory, stack) throws it.
   */
  private async settleEither(handle: QuickJSHandle, call: ActiveCall): Promise<{ handle: QuickJSHandle; rejected: boolean }> {
    try {
      this.pump();
      for (;;) {
        if (this.disposed !== undefined) throw this.disposed;
        const state = this.vm.getPromiseState(handle);
        if (state.type === 'fulfilled') {
          if (state.notAPromise) return { handle: handle.dup(), rejected: false };
          return { handle: state.value, rejected: false };
        }
        if (state.type === 'rejected') {
          const breach = this.classify(state.error);
          if (breach === undefined) return { handle: state.error, rejected: true };
          this.free(state.error);
          throw breach;
        }
        const timedOut = await this.waitForProgress(call.deadline);
        if (timedOut && this.disposed === undefined) {
          throw this.drop(this.deadlineBreach(call));
        }
      }
    } finally {
      if (handle.alive) this.free(handle);
    }
  }

  private waitForProgress(deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        resolve(true);
      }, Math.max(0, deadline - performance.now()));
      this.waiters.add(wake);
    });
  }

  /**
   * Calls a hook, a command, init or deinit. A synchronous handler's result comes back at once;
   * an async one's as a promise. Breaches become a failed result and drop the instance.
   * `deadlineMs` replaces the plugin's call deadline for this call (init's comes from the host).
   */
  call(kind: CallKind, name: string, payload: string, deadlineMs = this.spec.limits.call_deadline_ms): CallResult | Promise<CallResult> {
    const started = performance.now();
    const call: ActiveCall = { deadline: started + deadlineMs, ms: deadlineMs };
    if (this.disposed !== undefined) return { ok: false, code: this.disposed.code, message: this.disposed.message, durationNs: 0 };
    this.activeCalls.add(call);
    this.scope.startCall(deadlineMs);
    this.calls += 1;
    let pending = false;
    try {
      const invoked = this.runGuest(() => {
        const temporaries = [this.vm.newString(payload)];
        const target = kind === 'init' || kind === 'deinit' ? kind : `${kind}:${name}`;
        const result = this.vm.callFunction(this.invokeFn!, this.vm.undefined, this.constant(target, temporaries), temporaries[0]!);
        for (const handle of temporaries) this.free(handle);
        return result;
      });
      if (invoked.error) {
        const breach = this.classify(invoked.error) ?? new Breach('HANDLER_FAILED', `plugin '${this.spec.name}' failed: ${this.describeError(invoked.error)}`);
        this.free(invoked.error);
        throw breach;
      }
      if (this.vm.typeof(invoked.value) === 'string') {
        // A synchronous handler: the bridge answered with the text itself.
        const text = this.vm.getString(invoked.value);
        this.free(invoked.value);
        return this.completed(this.decode(text, started), started);
      }
      pending = true;
      return this.finish(invoked.value, call, started);
    } catch (error) {
      return this.failed(error, started);
    } finally {
      if (!pending) this.endCall(call);
    }
  }

  /** Calls a function of the prelude's bridge on `argument` (freed after), as guest code under the deadline. */
  private callBridge(name: 'register' | 'encode' | 'encodeError', argument: QuickJSHandle) {
    return this.runGuest(() => {
      const fn = this.vm.getProp(this.bridge!, name);
      const result = this.vm.callFunction(fn, this.vm.undefined, argument);
      this.free(fn);
      this.free(argument);
      return result;
    });
  }

  /** The rest of a call whose handler returned a promise: settled, then encoded in the VM. */
  private async finish(handle: QuickJSHandle, call: ActiveCall, started: number): Promise<CallResult> {
    try {
      // A rejection is described by the prelude like a synchronous throw, so both read the same.
      const settled = await this.settleEither(handle, call);
      const text = this.callBridge(settled.rejected ? 'encodeError' : 'encode', settled.handle);
      if (text.error) {
        const breach = this.classify(text.error) ?? new Breach('BAD_RESULT', `plugin '${this.spec.name}' returned a value that could not be read`);
        this.free(text.error);
        throw breach;
      }
      const answer = this.vm.typeof(text.value) === 'string' ? this.vm.getString(text.value) : '';
      this.free(text.value);
      return this.completed(this.decode(answer, started), started);
    } catch (error) {
      return this.failed(error, started);
    } finally {
      this.endCall(call);
    }
  }

  /** A call is over: when it was the last one running, its audit summary goes out with it. */
  private endCall(call: ActiveCall): void {
    this.leave(call);
    if (this.activeCalls.size === 0) this.scope.endCall();
  }

  /** A call (or a guard) stops running: the timers only it owned are dropped, never to fire. */
  private leave(call: ActiveCall): void {
    this.activeCalls.delete(call);
    if (this.timers.size > 0 && this.disposed === undefined) this.timers.sweep((owner) => this.activeCalls.has(owner as ActiveCall));
  }

  /**
   * Ends a call whose handler has answered: promise jobs it left queued run now, under the same
   * deadline, rather than later outside any call. If they break a limit, the call fails with it.
   */
  private completed(result: CallResult, started: number): CallResult {
    if (this.disposed === undefined && !this.trapped && this.runtime.hasPendingJob()) this.pump();
    if (this.disposed === undefined) return result;
    return { ok: false, code: this.disposed.code, message: this.disposed.message, durationNs: nanosecondsSince(started) };
  }

  private failed(error: unknown, started: number): CallResult {
    if (!(error instanceof Breach)) throw error;
    if (error.code !== 'HANDLER_FAILED' && error.code !== 'NO_SUCH_HANDLER' && error.code !== 'BAD_RESULT') this.drop(error);
    return { ok: false, code: error.code, message: error.message, durationNs: nanosecondsSince(started) };
  }

  /** The bridge's tagged answer (see guest/prelude.ts), checked by result-envelope.ts. */
  private decode(text: string, started: number): CallResult {
    const durationNs = nanosecondsSince(started);
    // Counting bytes scans the text; a text this short cannot be over the cap. An error's text is
    // bounded by the prelude and cut again by readEnvelope: the cap is for values.
    if (text.charCodeAt(0) !== 0x45 /* E */ && text.length * 3 > this.spec.limits.max_result_bytes && Buffer.byteLength(text) > this.spec.limits.max_result_bytes + 64) {
      return { ok: false, code: 'BAD_RESULT', message: `plugin '${this.spec.name}' returned more than ${this.spec.limits.max_result_bytes} bytes`, durationNs };
    }
    const envelope = readEnvelope(text);
    switch (envelope.kind) {
      case 'nothing':
        return { ok: true, json: undefined, durationNs };
      case 'value':
        return { ok: true, json: envelope.json, durationNs };
      case 'malformed':
        return { ok: false, code: 'BAD_RESULT', message: `plugin '${this.spec.name}' ${envelope.message}`, durationNs };
      case 'error': {
        const breach = this.classifyMessage(envelope.message);
        if (breach !== undefined) throw breach;
        const message = this.guestErrorText(envelope.code, envelope.message);
        return { ok: false, code: envelope.code, message, durationNs, ...(envelope.stack === undefined ? {} : { stack: envelope.stack }) };
      }
    }
  }

  /**
   * A guest's error as the operator reads it, naming the plugin once. The prelude words a missing
   * handler as "the plugin has no command named d": that becomes "plugin 'mist' has no command
   * named 'd' in its code" (it was "plugin 'mist' the plugin has no command named d").
   */
  private guestErrorText(code: 'BAD_RESULT' | 'HANDLER_FAILED' | 'NO_SUCH_HANDLER', message: string): string {
    const plugin = `plugin '${this.spec.name}'`;
    if (code === 'HANDLER_FAILED') return `${plugin} failed: ${message}`;
    const missing = code === 'NO_SUCH_HANDLER' ? /^the plugin has no (\S+) named ([\s\S]*)$/.exec(message) : null;
    if (missing !== null) return `${plugin} has no ${missing[1]} named '${missing[2]}' in its code`;
    return `${plugin} ${message}`;
  }

  /**
   * Catchable engine errors that reached the bridge's own catch (out of memory, stack overflow).
   * When QuickJS cannot even allocate the error object it throws null instead: at the memory cap,
   * that is running out of memory too.
   */
  private classifyMessage(message: string): Breach | undefined {
    // Only near the cap: a plugin throwing new Error('out of memory') is just failing.
    if ((message === 'out of memory' || message === 'null') && this.nearMemoryCap()) {
      return new Breach('MEMORY_LIMIT_EXCEEDED', memoryLimitMessage(this.spec.name, this.spec.limits));
    }
    if (message === 'stack overflow') {
      return new Breach('STACK_OVERFLOW', stackLimitMessage(this.spec.name, this.spec.limits));
    }
    return undefined;
  }
}

/** The QuickJS engine: every instance gets its own WebAssembly instance and memory. */
export function quickJsEngine(assets: EngineAssets): Engine {
  return {
    name: 'quickjs',
    create: (spec, scope, host) => PluginInstance.create(spec, assets, scope, host),
  };
}
