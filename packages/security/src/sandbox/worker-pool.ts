// The host's worker threads: a fixed number of slots, each started on first need (adopting a
// prewarmed worker when the process has one) and started again after its worker is lost. A new
// instance goes to the live worker holding the fewest.
import type { AuditEntry } from '../audit-trail';
import { adoptPrewarmedWorker } from './prewarm';
import { engineModule, SandboxWorker, type WorkerLost } from './sandbox-worker';

export class WorkerPool {
  private readonly workers: Array<SandboxWorker | undefined>;

  constructor(
    size: number,
    private readonly onLost: (worker: SandboxWorker, error: WorkerLost) => void,
    private readonly onAudit: (entry: AuditEntry) => void,
  ) {
    this.workers = new Array<SandboxWorker | undefined>(Math.max(1, size)).fill(undefined);
  }

  /**
   * The live worker with the fewest instances, counting those still loading (a hook's first
   * dispatch loads its plugins all at once: counted only when loaded, they all went to one worker),
   * starting any slot that has none.
   */
  pick(): SandboxWorker {
    let best: SandboxWorker | undefined;
    for (let index = 0; index < this.workers.length; index++) {
      let worker = this.workers[index];
      if (worker === undefined || !worker.alive) {
        const onLost = (lostWorker: SandboxWorker, error: WorkerLost) => this.onLost(lostWorker, error);
        worker = adoptPrewarmedWorker(index, onLost) ?? new SandboxWorker(index, engineModule(), onLost);
        worker.onAudit = this.onAudit;
        this.workers[index] = worker;
      }
      if (best === undefined || worker.keys.size + worker.loading < best.keys.size + best.loading) best = worker;
    }
    return best!;
  }

  /** The worker is gone: its slot starts a new one when next needed. */
  lost(worker: SandboxWorker): void {
    if (this.workers[worker.index] === worker) this.workers[worker.index] = undefined;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker?.terminate()));
    this.workers.fill(undefined);
  }
}
