// Which limit an error out of a plugin's engine stands for, if it stands for one. QuickJS reports
// running out of memory or stack as an ordinary guest error (or, when it cannot even allocate the
// error object, as null); a trap in the WebAssembly itself reaches the host as an exception. A
// plugin may throw new Error('out of memory') itself, so the words alone count only near the cap.
import { Breach } from './breach';
import { memoryLimitMessage, stackLimitMessage } from './breach-message';
import type { WorkerPluginSpec } from './protocol';

type Plugin = Pick<WorkerPluginSpec, 'name' | 'limits'>;

function memoryBreach(spec: Plugin): Breach {
  return new Breach('MEMORY_LIMIT_EXCEEDED', memoryLimitMessage(spec.name, spec.limits));
}

function stackBreach(spec: Plugin): Breach {
  return new Breach('STACK_OVERFLOW', stackLimitMessage(spec.name, spec.limits));
}

/**
 * A guest error the engine raised, as "Name: message" (describeError). `hollow`: the error could
 * not be described, or is not an object — what QuickJS leaves when memory ran out mid-way.
 */
export function breachOfGuestError(spec: Plugin, text: string, hollow: boolean, nearMemoryCap: () => boolean): Breach | undefined {
  if (/^InternalError: out of memory/.test(text) || (hollow && nearMemoryCap())) return memoryBreach(spec);
  if (/^InternalError: stack overflow/.test(text) || /^RangeError: Maximum call stack/.test(text)) return stackBreach(spec);
  return undefined;
}

/**
 * Catchable engine errors that reached the bridge's own catch (out of memory, stack overflow).
 * When QuickJS cannot even allocate the error object it throws null instead: at the memory cap,
 * that is running out of memory too.
 */
export function breachOfAnswer(spec: Plugin, message: string, nearMemoryCap: () => boolean): Breach | undefined {
  // Only near the cap: a plugin throwing new Error('out of memory') is just failing.
  if ((message === 'out of memory' || message === 'null') && nearMemoryCap()) return memoryBreach(spec);
  if (message === 'stack overflow') return stackBreach(spec);
  return undefined;
}

/** A host-side exception out of the engine: WebAssembly trapped (out of memory, most often). */
export function breachOfTrap(spec: Plugin, error: unknown, nearMemoryCap: () => boolean): Breach {
  if (nearMemoryCap() || /OOM|out of memory|memory/i.test(String((error as Error)?.message))) return memoryBreach(spec);
  return new Breach('HANDLER_FAILED', `plugin '${spec.name}' crashed its engine`);
}
