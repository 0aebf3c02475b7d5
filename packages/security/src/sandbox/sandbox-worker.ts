/// <reference path="./webassembly.d.ts" />
// The main thread's handle on one sandbox worker: numbered requests, and a watchdog per request.
// QuickJS's interrupt handler is polled by instruction count, so a loop of heavy built-ins can run
// far past a deadline inside the worker; only terminating the thread stops it for sure. When the
// watchdog fires, the worker's shared progress slots (worker-progress.ts) say which plugin was
// running and how many calls of each request had started.
//
// Nothing that arrives from the worker can throw out of the 'message' listener: a reply that cannot
// be read stops the worker (its requests fail as lost) instead of raising in the host's event loop.
import { Worker } from 'node:worker_threads';
import type { SandboxErrorCode } from '../errors';
import { readFileSync } from 'node:fs';
import type { AuditEntry } from '../audit-trail';
import { WORKER_OVERRUN_MESSAGE } from './breach-message';
import { parseGuestJson } from './guest-value';
import type { MainToWorker, WorkerToMain } from './protocol';
import { FinishedResults, finishedResultsBuffer } from './finished-results';
import { ACTIVITY_SLOT, progressBuffer, startedSlot } from './worker-progress';

type Reply = Extract<WorkerToMain, { type: 'reply' }>;
type Request = MainToWorker extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;

interface Pending {
  resolve(reply: Reply): void;
  reject(error: WorkerLost): void;
  timer: NodeJS.Timeout;
  budgetMs: number;
  sentAt: number;
  /** Calls of the request seen started, and when the watchdog last saw that count grow. */
  started: number;
  progressAt: number;
}

/**
 * The worker is gone. `culpritKey` is the plugin instance that was running guest code when the
 * watchdog stopped it (0 when none was); `started` is how many calls of this request had started.
 */
export class WorkerLost extends Error {
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
    readonly culpritKey: number,
    readonly started: number,
    /** The result texts of the request's calls that had finished (a run's; finished-results.ts). */
    readonly finished: readonly string[] = [],
  ) {
    super(message);
  }
}

let compiled: WebAssembly.Module | undefined;

/** The first message of a worker that started. */
const READY = JSON.stringify({ type: 'ready' } satisfies WorkerToMain);

/** QuickJS's WebAssembly module, compiled once per process and shared with every worker. */
export function engineModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm')));
  return compiled;
}

/** How much longer than a call's own deadline the watchdog waits before killing the thread. */
export const WATCHDOG_GRACE_MS = 1000;

export class SandboxWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly progress = progressBuffer();
  private readonly slots = new Int32Array(this.progress);
  private readonly finishedBuffer = finishedResultsBuffer();
  private readonly finished = new FinishedResults(this.finishedBuffer);
  /** Where denied capability calls go the moment the worker reports them. */
  onAudit: (entry: AuditEntry) => void = () => undefined;
  private nextId = 1;
  private lost: WorkerLost | undefined;
  /** When the last reply arrived: the earliest the oldest request still pending can have started. */
  private lastReplyAt = 0;
  readonly ready: Promise<void>;
  /** Plugin keys living in this worker. */
  readonly keys = new Set<number>();
  /** Instances being loaded into this worker (not yet in `keys`). */
  loading = 0;

  constructor(
    public index: number,
    wasmModule: WebAssembly.Module,
    private onLost: (worker: SandboxWorker, error: WorkerLost) => void,
  ) {
    // Resolved through the package's exports, so that sources under test start the built worker.
    this.worker = new Worker(require.resolve('@marathon/security/sandbox-worker'), {
      workerData: { progress: this.progress, wasmModule, finished: this.finishedBuffer },
      // QuickJS recursion runs on this thread's native stack.
      resourceLimits: { stackSizeMb: 8, maxOldGenerationSizeMb: 512 },
    });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', (text: unknown) => {
        this.refresh();
        if (text === READY) resolve();
        else reject(new Error('worker did not start'));
      });
      this.worker.once('error', reject);
    });
    this.worker.on('message', (text: unknown) => {
      let message: WorkerToMain;
      try {
        message = parseGuestJson(String(text)) as unknown as WorkerToMain;
        if (message.type === 'audit') {
          for (const entry of message.entries) this.onAudit(entry);
          return;
        }
        if (message.type !== 'reply' || typeof message.id !== 'number') return;
      } catch {
        this.fail(new WorkerLost('WORKER_LOST', 'the sandbox worker sent a reply that could not be read', 0, 0));
        void this.worker.terminate();
        return;
      }
      const pending = this.pending.get(message.id);
      if (pending === undefined) return;
      this.pending.delete(message.id);
      this.lastReplyAt = performance.now();
      clearTimeout(pending.timer);
      this.refresh();
      pending.resolve(message);
    });
    this.worker.on('error', (error) => this.fail(new WorkerLost('WORKER_LOST', `the sandbox worker crashed: ${error.message}`, 0, 0)));
    this.worker.on('exit', (code) => this.fail(new WorkerLost('WORKER_LOST', `the sandbox worker exited (code ${code})`, 0, 0)));
  }

  /** Hands a worker started ahead of time (see prewarm.ts) to the host that will use it. */
  adopt(index: number, onLost: (worker: SandboxWorker, error: WorkerLost) => void): void {
    this.index = index;
    this.onLost = onLost;
  }

  get alive(): boolean {
    return this.lost === undefined;
  }

  /**
   * Sends a request; rejects with WorkerLost if the worker dies, or if `budgetMs` passes with no
   * call of the request starting: a request of several calls (a run of plugins) gets the budget per
   * call, so a runaway in its first call is stopped as soon as one alone would be.
   */
  request(request: Request, budgetMs: number): Promise<Reply> {
    if (this.lost !== undefined) return Promise.reject(this.lost);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.overrun(id), budgetMs + WATCHDOG_GRACE_MS);
      const sentAt = performance.now();
      this.pending.set(id, { resolve, reject, timer, budgetMs, sentAt, started: 0, progressAt: sentAt });
      Atomics.store(this.slots, startedSlot(id), 0);
      this.refresh();
      // Messages travel as JSON text, which crosses threads faster than structured clones. A
      // doorbell instead of the worker's event loop (Atomics.wait + receiveMessageOnPort, as
      // piscina does) was measured here and not kept: Atomics.notify of the sleeping worker cost
      // ~33 µs on this thread, what the event loop's wake-up had cost; a bounded spin on either
      // side took the CPU from the other thread's sibling vCPU (docs/architecture.md).
      this.worker.postMessage(JSON.stringify({ ...request, id } as MainToWorker));
    });
  }

  /** Keeps the process alive while requests are pending, and only then. */
  private refresh(): void {
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  /**
   * A request's budget ran out, counted from when it was sent. The worker serves requests in order,
   * so that is not yet an overrun: a request queued behind others (fifty plugins loading at a
   * hook's first dispatch) has not had its turn, and the oldest one started only when the one
   * before it replied. The budget is counted again from the earliest moment the request can have
   * started, and the worker is stopped only when the oldest request still pending has used its
   * whole budget since then. A runaway is still stopped: nothing replies while it runs, so the
   * oldest request's clock keeps going. A call of the request that started since the last look is
   * progress too: the budget is counted again from then. The plugin running guest code at that
   * moment is blamed.
   */
  private overrun(id: number): void {
    const waiting = this.pending.get(id);
    if (waiting === undefined) return;
    const allowance = waiting.budgetMs + WATCHDOG_GRACE_MS;
    const oldest = this.pending.keys().next().value;
    if (oldest !== id) {
      // Not its turn yet: the older ones have clocks of their own.
      waiting.timer = setTimeout(() => this.overrun(id), allowance);
      return;
    }
    const started = Atomics.load(this.slots, startedSlot(id));
    if (started > waiting.started) {
      waiting.started = started;
      waiting.progressAt = performance.now();
    }
    const used = performance.now() - Math.max(waiting.sentAt, this.lastReplyAt, waiting.progressAt);
    if (used < allowance) {
      waiting.timer = setTimeout(() => this.overrun(id), allowance - used);
      return;
    }
    const culpritKey = Atomics.load(this.slots, ACTIVITY_SLOT);
    this.fail(new WorkerLost('DEADLINE_EXCEEDED', WORKER_OVERRUN_MESSAGE, culpritKey, 0));
    void this.worker.terminate();
  }

  private fail(error: WorkerLost): void {
    if (this.lost !== undefined) return;
    this.lost = error;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(
        new WorkerLost(error.code, error.message, error.culpritKey, Atomics.load(this.slots, startedSlot(id)), this.finished.read(id)),
      );
    }
    this.pending.clear();
    this.onLost(this, error);
  }

  async terminate(): Promise<void> {
    this.lost ??= new WorkerLost('DISPOSED', 'the sandbox was closed', 0, 0);
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(this.lost);
    }
    this.pending.clear();
    await this.worker.terminate();
  }
}
