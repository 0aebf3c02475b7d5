// A plugin's answer to a hook as the hook bus takes it: always a HookResult. A failed call becomes a
// failed result saying why; a value that is not a HookResult, or result_data that is not an event,
// fails with BAD_RESULT; result_data from a plugin without task_write is stripped (and audited).
import type { HookType } from '@marathon/plugin-api';
import { describeResultValue, isEventData } from '@marathon/plugin-api';
import type { AuditTrail } from '../audit-trail';
import { SandboxError } from '../errors';
import { mayWrite, stripWrite } from './event-filter';
import { asHookResult } from './guest-value';
import type { PluginRecord } from './plugin-record';
import type { ReceivedResult } from './protocol';
import type { HookCallResult } from './sandbox-options';

/** A failed result saying why (the error's message); the chain goes on, as for any failed handler. */
function failed(error: SandboxError, durationNs: number): HookCallResult {
  return { result: { success: false, message: error.message, continue_chain: true }, error, durationNs };
}

/** Turns a call's result into a HookResult for `hook`, applying what the plugin may change. */
export function toHookResult(record: PluginRecord, hook: HookType, result: ReceivedResult, audit: AuditTrail): HookCallResult {
  if (!result.ok) return failed(new SandboxError(result.code, record.name, result.message, result.stack), result.durationNs);
  const value = result.value;
  const hookResult = asHookResult(value);
  if (hookResult === undefined) {
    const message = `plugin '${record.name}' returned ${describeResultValue(value)} instead of a HookResult`;
    return failed(new SandboxError('BAD_RESULT', record.name, message), result.durationNs);
  }
  const writer = mayWrite(hook, record.spec.permissions);
  if (writer && hookResult.success && hookResult.result_data !== undefined && !isEventData(hookResult.result_data)) {
    const message = `plugin '${record.name}' returned result_data that is not an event object (${describeResultValue(hookResult.result_data)})`;
    return failed(new SandboxError('BAD_RESULT', record.name, message), result.durationNs);
  }
  const { result: allowed, stripped } = stripWrite(hookResult, writer);
  if (stripped)
    audit.record({
      time: Date.now(),
      plugin: record.name,
      capability: 'task.write',
      target: hook,
      allowed: false,
      reason: "no 'task_write' permission",
    });
  return { result: allowed, durationNs: result.durationNs };
}
