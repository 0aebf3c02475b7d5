/// <reference path="./webassembly.d.ts" />
// Entry of a sandbox worker thread. It hosts the QuickJS instances of several plugins, serves the
// SandboxHost's requests one message at a time (a batch of calls runs in order, in one message),
// and writes into shared memory which plugin is running guest code and how many calls of each
// request have started (worker-progress.ts), so that the host's watchdog knows whom to blame if it
// has to terminate the thread, and which calls never ran. Denied capability calls are sent to the
// host the moment they happen, not with the reply, so a worker that dies later cannot lose them.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { AuditEntry } from '../audit-trail';
import { PluginScope } from '../capabilities/plugin-scope';
import { loadFailedMessage, stoppedEarlierMessage } from './breach-message';
import { HostCalls } from './host-calls';
import type { EngineInstance } from './engine';
import { readGuestModules } from './guest-modules';
import { Breach } from './breach';
import { quickJsEngine } from './plugin-instance';
import type { CallRequest, CallResult, ChainRules, LogEntry, MainToWorker, WorkerPluginSpec, WorkerToMain } from './protocol';
import { applyChain } from './chain-rules';
import { FinishedResults } from './finished-results';
import { startedSlot } from './worker-progress';

interface Loaded {
  instance: EngineInstance;
  spec: WorkerPluginSpec;
}

const port = parentPort;
if (port === null) throw new Error('worker-main must run in a worker thread');
const progress = new Int32Array(workerData.progress as SharedArrayBuffer);
const finished = new FinishedResults(workerData.finished as SharedArrayBuffer);

const engine = quickJsEngine({
  // Compiled once by the host and shared by its workers.
  wasmModule: workerData.wasmModule as WebAssembly.Module,
  apiSource: readFileSync(require.resolve('@marathon/plugin-api/runtime.mjs'), 'utf8'),
  guestModules: readGuestModules(),
  activity: progress,
});

const plugins = new Map<number, Loaded>();
let audit: AuditEntry[] = [];
let logs: LogEntry[] = [];
let dropped: Array<{ key: number; code: Breach['code']; message: string }> = [];

type ReplyFields = Omit<Extract<WorkerToMain, { type: 'reply' }>, 'type' | 'audit' | 'logs' | 'dropped' | 'results'>;

/** A call's result as reply text: the guest's value is already JSON text, spliced in as it is. */
function resultText(result: CallResult): string {
  return result.ok
    ? `{"ok":true,"durationNs":${result.durationNs}${result.json === undefined ? '' : `,"value":${result.json}`}}`
    : JSON.stringify(result);
}

/**
 * Sends a reply as JSON text (structured cloning of nested objects cost more than the calls). Call
 * results go in as they are: each value is already the JSON text the guest's captured
 * JSON.stringify wrote, so it is spliced in rather than parsed and written again.
 */
function reply(message: ReplyFields, resultTexts?: string[]): void {
  const head = JSON.stringify({ type: 'reply', ...message, audit, logs, dropped } satisfies WorkerToMain);
  let text = head;
  if (resultTexts !== undefined) {
    text = `${head.slice(0, -1)},"results":[${resultTexts.join(',')}]}`;
  }
  port!.postMessage(text);
  audit = [];
  logs = [];
  dropped = [];
}

/** Instances dropped for a broken limit, for the calls already queued to them (bounded: keys are never reused). */
const stopped = new Map<number, string>();
const STOPPED_KEPT = 1024;

function forget(key: number, breach: { code: Breach['code']; message: string }): void {
  const name = plugins.get(key)?.spec.name ?? 'the plugin';
  plugins.delete(key);
  dropped.push({ key, code: breach.code, message: breach.message });
  stopped.set(key, stoppedEarlierMessage(name, breach.message || breach.code));
  if (stopped.size > STOPPED_KEPT) stopped.delete(stopped.keys().next().value!);
}

/** Audit entries: allowed ones go with the reply; a denial goes to the host at once. */
function recordAudit(entry: AuditEntry): void {
  if (entry.allowed) audit.push(entry);
  else port!.postMessage(JSON.stringify({ type: 'audit', entries: [entry] } satisfies WorkerToMain));
}

async function load(spec: WorkerPluginSpec): Promise<{ hooks: string[]; commands: string[] }> {
  const scope = new PluginScope(spec, recordAudit);
  const host = new HostCalls(scope, (entry) => logs.push(entry));
  const instance = await engine.create(spec, scope, host);
  const described = await instance.load();
  plugins.set(spec.key, { instance, spec });
  return described;
}

/**
 * Runs a request's calls in order and returns each result as reply text (resultText), made once:
 * a run of several also keeps each finished result's text in the shared area it holds (`keep`)
 * before starting the next call. Without the area a run does only its first call, and a result
 * that does not fit ends it: the calls not started come back as not run.
 */
async function runCalls(id: number, calls: CallRequest[], chain: ChainRules | null, keep: boolean): Promise<string[]> {
  const results: string[] = [];
  let payload: string | undefined;
  const started = startedSlot(id);
  let limit = calls.length > 1 && !keep ? 1 : calls.length;
  for (let index = 0; index < calls.length; index++) {
    const call = calls[index]!;
    if (index >= limit) {
      results.push(resultText({ ok: false, code: 'WORKER_LOST', message: 'not run: the run was cut short', durationNs: 0, notRun: true }));
      continue;
    }
    Atomics.store(progress, started, index + 1);
    const loaded = plugins.get(call.key);
    let result: CallResult;
    const stoppedEarlier = loaded === undefined ? stopped.get(call.key) : undefined;
    if (stoppedEarlier !== undefined) {
      result = { ok: false, code: 'WORKER_LOST', message: stoppedEarlier, durationNs: 0, notRun: true };
    } else if (loaded === undefined || !loaded.instance.alive) {
      result = { ok: false, code: 'WORKER_LOST', message: 'the plugin is not loaded in this worker', durationNs: 0 };
    } else {
      const answer = loaded.instance.call(call.kind, call.name, payload ?? call.payload, call.deadlineMs);
      result = answer instanceof Promise ? await answer : answer;
      if (!loaded.instance.alive)
        forget(call.key, { code: result.ok ? 'DISPOSED' : result.code, message: result.ok ? '' : result.message });
    }
    const text = resultText(result);
    results.push(text);
    if (chain !== null) {
      const next = applyChain(result, call.canWrite === true, chain);
      if (next.stop) break;
      if (next.payload !== undefined) payload = next.payload;
    }
    if (keep && index < limit - 1 && !finished.append(text)) limit = index + 1;
  }
  return results;
}

async function serve(message: MainToWorker): Promise<void> {
  switch (message.type) {
    case 'load':
      try {
        reply({ id: message.id, described: await load(message.spec) });
      } catch (error) {
        const breach =
          error instanceof Breach ? error : new Breach('LOAD_FAILED', loadFailedMessage(message.spec.name, (error as Error).message));
        reply({ id: message.id, error: { code: breach.code, message: breach.message } });
      }
      break;
    case 'call': {
      const keep = message.calls.length > 1 && finished.claim(message.id);
      try {
        reply({ id: message.id }, await runCalls(message.id, message.calls, message.chain, keep));
      } finally {
        if (keep) finished.release(message.id);
      }
      break;
    }
    case 'unload':
      plugins.get(message.key)?.instance.dispose();
      plugins.delete(message.key);
      reply({ id: message.id });
      break;
    case 'usage': {
      const loaded = plugins.get(message.key);
      reply(
        loaded === undefined
          ? { id: message.id, error: { code: 'DISPOSED', message: 'not loaded' } }
          : { id: message.id, usage: loaded.instance.usage() },
      );
      break;
    }
  }
}

port.on('message', (text: string) => {
  const message = JSON.parse(text) as MainToWorker;
  serve(message).catch(() => {
    // A fault of the host's own code: the request fails; the worker and its other plugins go on.
    reply({ id: message.id, error: { code: 'WORKER_LOST', message: 'the sandbox worker could not serve the request' } });
  });
});

port.postMessage(JSON.stringify({ type: 'ready' } satisfies WorkerToMain));
