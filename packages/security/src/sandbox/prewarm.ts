// Starting a sandbox worker costs a thread start and a QuickJS engine (~60–150 ms measured). A
// process that knows it is about to run plugin code — the CLI running a plugin command — can start
// one while it does other work (loading the manager); the next SandboxHost adopts it instead of
// starting its own. This module is light on purpose: importing it must not cost what it saves.
import { engineModule, SandboxWorker, type WorkerLost } from './sandbox-worker';

let spare: SandboxWorker | undefined;

/** Starts a sandbox worker now, for the next SandboxHost of this process to adopt. */
export function prewarmSandboxWorker(): void {
  if (spare === undefined || !spare.alive) spare = new SandboxWorker(0, engineModule(), () => undefined);
}

/** The worker started by prewarmSandboxWorker, if it is still alive; each is handed out once. */
export function adoptPrewarmedWorker(index: number, onLost: (worker: SandboxWorker, error: WorkerLost) => void): SandboxWorker | undefined {
  const worker = spare;
  spare = undefined;
  if (worker === undefined || !worker.alive) return undefined;
  worker.adopt(index, onLost);
  return worker;
}
