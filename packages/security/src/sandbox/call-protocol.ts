// The call protocol between the worker and a plugin's guest code: evaluate the main module and
// register its plugin, call a handler through the prelude's bridge (guest/prelude.ts), wait for an
// async handler's promise to settle, and decode the bridge's tagged answer (result-envelope.ts)
// into a CallResult. The guest code runs in slices under the call's deadline (guest-clock.ts); the
// instance (plugin-instance.ts) owns the engine and drops it when a limit breaks.
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import type { PluginScope } from '../capabilities/plugin-scope';
import { Breach } from './breach';
import { loadFailedMessage } from './breach-message';
import type { ActiveCall, GuestClock } from './guest-clock';
import type { GuestBridge } from './guest/guest-host';
import { breachOfAnswer } from './limit-breaches';
import { loadModuleSource } from './module-resolution';
import type { CallKind, CallResult, WorkerPluginSpec } from './protocol';
import { readDescription, readEnvelope } from './result-envelope';

function nanosecondsSince(started: number): number {
  return Math.round((performance.now() - started) * 1e6);
}

/** What the protocol needs of the instance that owns the engine. */
export interface GuestSession {
  readonly spec: WorkerPluginSpec;
  readonly vm: QuickJSContext;
  readonly scope: PluginScope;
  readonly clock: GuestClock;
  readonly apiSource: string;
  /** Why the instance is gone; undefined while it lives. */
  readonly gone: Breach | undefined;
  /** Promise jobs wait in an engine that can still run them. */
  hasPendingJobs(): boolean;
  /** Runs guest code as one slice under the running calls' deadline. */
  runGuest<T>(run: () => T): T;
  /** Runs queued promise jobs. */
  pump(): void;
  free(handle: QuickJSHandle): void;
  describeError(error: QuickJSHandle): string;
  /** The limit a guest error stands for, if it stands for one. */
  classify(error: QuickJSHandle): Breach | undefined;
  nearMemoryCap(): boolean;
  /** Marks the instance gone; returns the breach to throw. */
  drop(breach: Breach): Breach;
  /** A call stops running (its timers go with it). */
  leave(call: ActiveCall): void;
}

export class GuestCalls {
  /** Calls made into this instance, for its usage. */
  count = 0;
  /** Handles of the few call targets ('hook:post_task_execute', …) used again and again, made once. */
  private readonly constants = new Map<string, QuickJSHandle>();
  private bridge: QuickJSHandle | undefined;
  private invokeFn: QuickJSHandle | undefined;

  constructor(
    private readonly session: GuestSession,
    started: { bridge: QuickJSHandle; invoke: QuickJSHandle },
  ) {
    this.bridge = started.bridge;
    this.invokeFn = started.invoke;
  }

  /** The engine is let go: no handle of it is used again. */
  release(): void {
    this.invokeFn = undefined;
    this.bridge = undefined;
  }

  /** Evaluates the main module and registers its default export; returns the names it implements. */
  async load(): Promise<{ hooks: string[]; commands: string[] }> {
    const { spec, vm } = this.session;
    const call: ActiveCall = { deadline: performance.now() + spec.limits.call_deadline_ms, ms: spec.limits.call_deadline_ms };
    this.session.clock.calls.add(call);
    this.session.scope.startCall(spec.limits.call_deadline_ms);
    try {
      const name = `/${spec.main}`;
      const main = loadModuleSource(name, spec.dir, this.session.apiSource);
      if (!main.ok)
        throw new Breach('LOAD_FAILED', main.message.replace(`cannot import '${main.request}'`, `cannot load main module '${spec.main}'`));
      const evaluated = this.session.runGuest(() => vm.evalCode(main.source, name, { type: 'module' }));
      if (evaluated.error) {
        const text = this.session.describeError(evaluated.error);
        this.session.free(evaluated.error);
        throw new Breach('LOAD_FAILED', loadFailedMessage(spec.name, text));
      }
      const namespace = await this.settleLoad(evaluated.value, call);
      const described = this.callBridge('register', namespace);
      if (described.error) {
        const text = this.session.describeError(described.error);
        this.session.free(described.error);
        throw new Breach('LOAD_FAILED', loadFailedMessage(spec.name, text.replace(/^Error: /, '')));
      }
      const json = vm.typeof(described.value) === 'string' ? vm.getString(described.value) : '';
      this.session.free(described.value);
      const description = readDescription(json);
      if (description === undefined)
        throw new Breach(
          'LOAD_FAILED',
          loadFailedMessage(spec.name, 'its code described itself with something that is not a list of hooks and commands'),
        );
      return description;
    } catch (error) {
      if (error instanceof Breach) throw this.session.drop(error);
      throw error;
    } finally {
      this.endCall(call);
    }
  }

  /** Waits for the module's evaluation to settle; a rejection fails the load with its description. */
  private async settleLoad(handle: QuickJSHandle, call: ActiveCall): Promise<QuickJSHandle> {
    const settled = await this.settleEither(handle, call);
    if (!settled.rejected) return settled.handle;
    const text = this.session.describeError(settled.handle);
    this.session.free(settled.handle);
    throw new Breach('LOAD_FAILED', loadFailedMessage(this.session.spec.name, text));
  }

  /**
   * Waits for a guest promise (or plain value) to settle: its value, or its rejection reason with
   * `rejected` set. A rejection that stands for a broken limit (out of memory, stack) throws it.
   */
  private async settleEither(handle: QuickJSHandle, call: ActiveCall): Promise<{ handle: QuickJSHandle; rejected: boolean }> {
    const session = this.session;
    try {
      session.pump();
      for (;;) {
        if (session.gone !== undefined) throw session.gone;
        const state = session.vm.getPromiseState(handle);
        if (state.type === 'fulfilled') {
          if (state.notAPromise) return { handle: handle.dup(), rejected: false };
          return { handle: state.value, rejected: false };
        }
        if (state.type === 'rejected') {
          const breach = session.classify(state.error);
          if (breach === undefined) return { handle: state.error, rejected: true };
          session.free(state.error);
          throw breach;
        }
        const timedOut = await session.clock.waitForProgress(call.deadline);
        if (timedOut && session.gone === undefined) {
          throw session.drop(session.clock.deadlineBreach(call));
        }
      }
    } finally {
      if (handle.alive) session.free(handle);
    }
  }

  /**
   * Calls a hook, a command, init or deinit. A synchronous handler's result comes back at once;
   * an async one's as a promise. Breaches become a failed result and drop the instance.
   * `deadlineMs` replaces the plugin's call deadline for this call (init's comes from the host).
   */
  call(
    kind: CallKind,
    name: string,
    payload: string,
    deadlineMs = this.session.spec.limits.call_deadline_ms,
  ): CallResult | Promise<CallResult> {
    const { session } = this;
    const { vm } = session;
    const started = performance.now();
    const call: ActiveCall = { deadline: started + deadlineMs, ms: deadlineMs };
    if (session.gone !== undefined) return { ok: false, code: session.gone.code, message: session.gone.message, durationNs: 0 };
    session.clock.calls.add(call);
    session.scope.startCall(deadlineMs);
    this.count += 1;
    let pending = false;
    try {
      const invoked = session.runGuest(() => {
        const temporaries = [vm.newString(payload)];
        const target = kind === 'init' || kind === 'deinit' ? kind : `${kind}:${name}`;
        const result = vm.callFunction(this.invokeFn!, vm.undefined, this.constant(target, temporaries), temporaries[0]!);
        for (const handle of temporaries) session.free(handle);
        return result;
      });
      if (invoked.error) {
        const breach =
          session.classify(invoked.error) ??
          new Breach('HANDLER_FAILED', `plugin '${session.spec.name}' failed: ${session.describeError(invoked.error)}`);
        session.free(invoked.error);
        throw breach;
      }
      if (vm.typeof(invoked.value) === 'string') {
        // A synchronous handler: the bridge answered with the text itself.
        const text = vm.getString(invoked.value);
        session.free(invoked.value);
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

  /** A cached handle for a value passed on every call; past the cache's size, a temporary one for `temporaries`. */
  private constant(value: string, temporaries: QuickJSHandle[]): QuickJSHandle {
    let handle = this.constants.get(value);
    if (handle === undefined) {
      handle = this.session.vm.newString(value);
      if (this.constants.size < 64) this.constants.set(value, handle);
      else temporaries.push(handle);
    }
    return handle;
  }

  /** Calls a function of the prelude's bridge on `argument` (freed after), as guest code under the deadline. */
  private callBridge(name: Exclude<keyof GuestBridge, 'invoke'>, argument: QuickJSHandle) {
    const { session } = this;
    return session.runGuest(() => {
      const fn = session.vm.getProp(this.bridge!, name);
      const result = session.vm.callFunction(fn, session.vm.undefined, argument);
      session.free(fn);
      session.free(argument);
      return result;
    });
  }

  /** The rest of a call whose handler returned a promise: settled, then encoded in the VM. */
  private async finish(handle: QuickJSHandle, call: ActiveCall, started: number): Promise<CallResult> {
    const { session } = this;
    try {
      // A rejection is described by the prelude like a synchronous throw, so both read the same.
      const settled = await this.settleEither(handle, call);
      const text = this.callBridge(settled.rejected ? 'encodeError' : 'encode', settled.handle);
      if (text.error) {
        const breach =
          session.classify(text.error) ?? new Breach('BAD_RESULT', `plugin '${session.spec.name}' returned a value that could not be read`);
        session.free(text.error);
        throw breach;
      }
      const answer = session.vm.typeof(text.value) === 'string' ? session.vm.getString(text.value) : '';
      session.free(text.value);
      return this.completed(this.decode(answer, started), started);
    } catch (error) {
      return this.failed(error, started);
    } finally {
      this.endCall(call);
    }
  }

  /** A call is over: when it was the last one running, its audit summary goes out with it. */
  private endCall(call: ActiveCall): void {
    this.session.leave(call);
    if (this.session.clock.calls.size === 0) this.session.scope.endCall();
  }

  /**
   * Ends a call whose handler has answered: promise jobs it left queued run now, under the same
   * deadline, rather than later outside any call. If they break a limit, the call fails with it.
   */
  private completed(result: CallResult, started: number): CallResult {
    if (this.session.gone === undefined && this.session.hasPendingJobs()) this.session.pump();
    const gone = this.session.gone;
    if (gone === undefined) return result;
    return { ok: false, code: gone.code, message: gone.message, durationNs: nanosecondsSince(started) };
  }

  private failed(error: unknown, started: number): CallResult {
    if (!(error instanceof Breach)) throw error;
    if (error.code !== 'HANDLER_FAILED' && error.code !== 'NO_SUCH_HANDLER' && error.code !== 'BAD_RESULT') this.session.drop(error);
    return { ok: false, code: error.code, message: error.message, durationNs: nanosecondsSince(started) };
  }

  /** The bridge's tagged answer (see guest/prelude.ts), checked by result-envelope.ts. */
  private decode(text: string, started: number): CallResult {
    const { spec } = this.session;
    const durationNs = nanosecondsSince(started);
    // Counting bytes scans the text; a text this short cannot be over the cap. An error's text is
    // bounded by the prelude and cut again by readEnvelope: the cap is for values.
    if (
      text.charCodeAt(0) !== 0x45 /* E */ &&
      text.length * 3 > spec.limits.max_result_bytes &&
      Buffer.byteLength(text) > spec.limits.max_result_bytes + 64
    ) {
      return {
        ok: false,
        code: 'BAD_RESULT',
        message: `plugin '${spec.name}' returned more than ${spec.limits.max_result_bytes} bytes`,
        durationNs,
      };
    }
    const envelope = readEnvelope(text);
    switch (envelope.kind) {
      case 'nothing':
        return { ok: true, json: undefined, durationNs };
      case 'value':
        return { ok: true, json: envelope.json, durationNs };
      case 'malformed':
        return { ok: false, code: 'BAD_RESULT', message: `plugin '${spec.name}' ${envelope.message}`, durationNs };
      case 'error': {
        const breach = breachOfAnswer(spec, envelope.message, () => this.session.nearMemoryCap());
        if (breach !== undefined) throw breach;
        const message = guestErrorText(spec.name, envelope.code, envelope.message);
        return { ok: false, code: envelope.code, message, durationNs, ...(envelope.stack === undefined ? {} : { stack: envelope.stack }) };
      }
    }
  }
}

/**
 * A guest's error as the operator reads it, naming the plugin once. The prelude words a missing
 * handler as "the plugin has no command named d": that becomes "plugin 'mist' has no command
 * named 'd' in its code" (it was "plugin 'mist' the plugin has no command named d").
 */
function guestErrorText(pluginName: string, code: 'BAD_RESULT' | 'HANDLER_FAILED' | 'NO_SUCH_HANDLER', message: string): string {
  const plugin = `plugin '${pluginName}'`;
  if (code === 'HANDLER_FAILED') return `${plugin} failed: ${message}`;
  const missing = code === 'NO_SUCH_HANDLER' ? /^the plugin has no (\S+) named ([\s\S]*)$/.exec(message) : null;
  if (missing !== null) return `${plugin} has no ${missing[1]} named '${missing[2]}' in its code`;
  return `${plugin} ${message}`;
}
