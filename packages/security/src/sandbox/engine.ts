// The one seam between the sandbox and the JavaScript engine that runs plugins. The worker talks
// to engines only through these types, so a second engine (isolated-vm, say, for speed) can be
// added beside QuickJS without touching the worker, the host or their callers.
import type { PluginScope } from '../capabilities/plugin-scope';
import type { HostCalls } from './host-calls';
import type { CallKind, CallResult, PluginUsage, WorkerPluginSpec } from './protocol';

/** One plugin's code, loaded into an engine instance of its own. */
export interface EngineInstance {
  /** False once the instance broke a limit or was disposed; a dead instance answers every call with why. */
  readonly alive: boolean;
  /** Evaluates the main module; returns the hooks and commands the code implements. */
  load(): Promise<{ hooks: string[]; commands: string[] }>;
  /**
   * Calls a hook, a command, init or deinit; never throws for what the plugin does. Synchronous
   * handlers answer at once. `deadlineMs`: this call's deadline instead of the plugin's call_deadline_ms.
   */
  call(kind: CallKind, name: string, payload: string, deadlineMs?: number): CallResult | Promise<CallResult>;
  usage(): PluginUsage;
  dispose(): void;
}

/** Makes engine instances; one per worker. */
export interface Engine {
  readonly name: string;
  create(spec: WorkerPluginSpec, scope: PluginScope, host: HostCalls): Promise<EngineInstance>;
}
