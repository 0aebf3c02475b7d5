// The in-process side of fuzz-cli.test.ts: one Node process that loads the built marathon CLI
// through oclif once, then runs each argv vector it is sent (over IPC) and answers with the exit
// code and everything written to stdout and stderr. It runs outside jest because oclif loads
// commands with dynamic import(), which jest's module sandbox cannot do.
'use strict';
const { resolve } = require('node:path');

const CLI_ROOT = resolve(__dirname, '..', '..', '..', 'apps', 'cli');
const oclif = require(require.resolve('@oclif/core', { paths: [CLI_ROOT] }));

oclif.settings.enableAutoTranspile = false;
let current;

/** A throw that escaped every handler is the worst crash; it is reported for the vector running. */
function escaped(error) {
  if (current !== undefined) current.escaped = `${error && error.constructor && error.constructor.name}: ${error && error.stack}`;
}
process.on('uncaughtException', escaped);
process.on('unhandledRejection', escaped);

async function runOne(config, args) {
  const record = { output: '', code: 0, thrown: undefined, escaped: undefined };
  current = record;
  const stdout = process.stdout.write;
  const stderr = process.stderr.write;
  const capture = (chunk, encoding, callback) => {
    record.output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (typeof encoding === 'function') encoding();
    else if (typeof callback === 'function') callback();
    return true;
  };
  process.stdout.write = capture;
  process.stderr.write = capture;
  process.exitCode = undefined;
  try {
    const [first, second, ...rest] = args;
    // How oclif finds a command with the space separator: two words, or one; else help's turn.
    if (first !== undefined && second !== undefined && config.findCommand(`${first}:${second}`))
      await config.runCommand(`${first}:${second}`, rest);
    else if (first !== undefined && config.findCommand(first)) await config.runCommand(first, args.slice(1));
    else await oclif.run(args, config);
    record.code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    const exit = error && error.oclif && error.oclif.exit;
    if (typeof exit === 'number') {
      record.code = exit;
      // What oclif's handler would print for it (ExitError carries no message for the operator).
      if (!(error instanceof oclif.Errors.ExitError)) record.output += `${error.message}\n`;
    } else {
      // oclif's handler prints any other error's message and exits 1 (the parser's own checks,
      // such as a file flag's `exists`, throw plain Errors); the test judges whether it is a crash.
      record.code = 1;
      record.output += `${error && error.message}\n`;
      record.thrown = { name: error && error.constructor && error.constructor.name, stack: String(error && error.stack) };
    }
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
    process.exitCode = undefined;
  }
  // Let stray callbacks of this vector land before the next one starts.
  await new Promise((done) => setImmediate(done));
  current = undefined;
  return record;
}

oclif.Config.load({ root: CLI_ROOT }).then((config) => {
  let queue = Promise.resolve();
  process.on('message', (args) => {
    queue = queue.then(async () => process.send(await runOne(config, args)));
  });
  process.send({ ready: true });
});
