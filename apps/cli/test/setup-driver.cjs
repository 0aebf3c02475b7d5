// The in-process side of marathon-binary.ts's `prepare`: one Node process per test file that
// loads the built marathon CLI's modules once, then runs each set-up step it is sent (over IPC)
// the way bin/run.js does — command cache, then a fresh oclif configuration, so commands of plugins
// enabled by an earlier step are found — with that step's environment and working folder, and
// answers with the exit code, stdout and stderr. A spawned binary costs ~0.3 s of CPU before it
// does anything; set-up steps are not what a test asserts, so they need not pay it. It runs
// outside jest because oclif loads commands with dynamic import(), which jest's sandbox cannot do.
'use strict';
const { resolve } = require('node:path');

const BIN = resolve(__dirname, '..', 'bin');
require('node:v8').setFlagsFromString('--liftoff-only');
const oclif = require(require.resolve('@oclif/core', { paths: [BIN] }));
const { useCommandCache } = require(require.resolve('@marathon/oclif-plugin/command-cache', { paths: [BIN] }));

oclif.settings.enableAutoTranspile = false;

/** Makes process.env exactly `env`, as a spawned binary would see it. */
function replaceEnvironment(env) {
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, env);
}

function text(chunk) {
  return typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
}

async function runOne({ args, env, cwd }) {
  const record = { code: 0, stdout: '', stderr: '' };
  const stdout = process.stdout.write;
  const stderr = process.stderr.write;
  const capture = (key) => (chunk, encoding, callback) => {
    record[key] += text(chunk);
    if (typeof encoding === 'function') encoding();
    else if (typeof callback === 'function') callback();
    return true;
  };
  replaceEnvironment(env);
  process.chdir(cwd);
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  process.exitCode = undefined;
  try {
    await useCommandCache('marathon');
    // bin/run.js also calls oclif.flush(), which waits for stdout to drain before the process exits;
    // output here is captured as it is written, and nothing exits.
    await oclif.run(args, BIN);
    record.code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // What oclif's handler would exit with; its message is what the test shows when a step fails.
    const exit = error && error.oclif && error.oclif.exit;
    record.code = typeof exit === 'number' ? exit : 1;
    if (!(error instanceof oclif.Errors.ExitError)) record.stderr += `${error && error.message}\n`;
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
    process.exitCode = undefined;
  }
  // Let stray callbacks of this step land before the next one starts.
  await new Promise((done) => setImmediate(done));
  return record;
}

let queue = Promise.resolve();
process.on('message', (step) => {
  queue = queue.then(async () => process.send(await runOne(step)));
});
process.send({ ready: true });
