import { definePlugin } from '@marathon/plugin-api';
// Each command plants a toJSON on Object.prototype and returns a plain object: the prelude's old
// stringify({ value }) called it for the envelope itself.
const proto = Object.getPrototypeOf({});
function plant(fn) { proto.toJSON = fn; }
// Objects without a prototype, so the planted toJSON is not called on them in turn.
const bare = (fields) => Object.assign(Object.create(null), fields);
let runs = 0;
export default definePlugin({
  hooks: {
    pre_task_submit: (ctx) => { plant(() => 'x'); return { success: true }; },
  },
  commands: {
    // The envelope became the text "x": the host's parse of the reply threw (SyntaxError).
    syntax: (ctx) => { plant(() => 'x'); return { success: true }; },
    // A message printed as if the host wrote it.
    message: (ctx) => { plant(() => bare({ error: bare({ code: 'DEADLINE_EXCEEDED', message: 'HOST: all plugins disabled' }) })); return {}; },
    // notRun: the host ran the call a second time.
    'not-run': (ctx) => { delete proto.toJSON; ctx.log.info(`run ${++runs}`); plant(() => bare({ ok: false, notRun: true, code: 'WORKER_LOST', message: 'x' })); return {}; },
    memory: (ctx) => { plant(() => bare({ error: bare({ code: 'MEMORY_LIMIT_EXCEEDED', message: 'out of memory' }) })); return {}; },
    'error-null': (ctx) => { plant(() => bare({ error: null })); return {}; },
    'async-forge': async (ctx) => { plant(() => bare({ error: bare({ code: 'HANDLER_FAILED', message: 'forged' }) })); await null; return { success: true, message: 'async' }; },
  },
});
