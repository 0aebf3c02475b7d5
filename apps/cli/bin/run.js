#!/usr/bin/env node
// The marathon binary.
// - `marathon --version` (oclif's version flag: the first argument) answers before oclif loads and
//   its configuration (measured: 350 → 108 ms median, `npm run bench -- cli`). It prints what
//   oclif's Config.userAgent would, from the same package.json and the same WSL check (wsl-utils,
//   oclif's own dependency); a test compares the two.
// - Node 22+ keeps compiled code of our modules between runs (a no-op where unavailable).
// - Auto-transpile is off: oclif would otherwise look for TypeScript sources of linked plugins at
//   every start (~450 ms); the workspace always runs the built dist/.
// - WebAssembly stays on V8's baseline compiler: a CLI process runs a plugin command or a few
//   hooks and exits, and optimising QuickJS's code in background threads only made the exit wait
//   for them (~150 ms measured per run). Long-running hosts keep V8's default tiering.
// - The command cache (see @marathon/oclif-plugin's command-cache) keeps start-up fast with many
//   installed plugins; it is checked against state.json, and rebuilt, before oclif starts.

async function printVersion() {
  const { arch, platform } = require('node:os');
  const { name, version } = require('../package.json');
  const oclifDir = require('node:path').dirname(require.resolve('@oclif/core/package.json'));
  const { isWsl } = await import(require('node:url').pathToFileURL(require.resolve('wsl-utils', { paths: [oclifDir] })).href);
  const architecture = arch() === 'ia32' ? 'x86' : arch();
  process.stdout.write(`${name}/${version} ${isWsl ? 'wsl' : platform()}-${architecture} node-${process.version}\n`);
}

function start() {
  require('node:module').enableCompileCache?.();
  require('node:v8').setFlagsFromString('--liftoff-only');
  const oclif = require('@oclif/core');
  const { useCommandCache } = require('@marathon/oclif-plugin/command-cache');

  oclif.settings.enableAutoTranspile = false;
  // oclif.execute, except for one case of its error handler: after a parse error it shows help for
  // the whole argv, and when the failing command is `help` itself (`marathon help nope --json`) that
  // argv names no command, so the handler threw again and printed both errors with JavaScript stack
  // traces (found by the reliability fuzz suite). The error alone says what to fix.
  function handle(error) {
    if (error?.showHelp === true && error.parse?.input?.context?.id === 'help') error.showHelp = false;
    return oclif.handle(error);
  }
  useCommandCache('marathon').then(() =>
    oclif
      .run(process.argv.slice(2), __dirname)
      .then((result) => (oclif.flush(), result))
      .catch(handle),
  );
}

if (process.argv[2] === '--version') printVersion().catch(start);
else start();
