// What ends a plugin's engine instance: a broken limit (memory, CPU, stack, a call's deadline) or
// a failure of the engine itself. The instance that throws one is gone; the worker reports it as
// dropped and the host loads a fresh instance for the plugin's next call.
import type { SandboxErrorCode } from '../errors';

/** A broken limit or an engine failure: the instance is gone. */
export class Breach extends Error {
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
  ) {
    super(message);
  }
}
