#!/usr/bin/env node
'use strict';
// npm run registry:local [-- --port <port>]: builds the public packages, starts the local registry,
// publishes them with `changeset publish`, says how to point npm at it, and stays up until Ctrl-C.
const { spawnSync } = require('node:child_process');
const { startLocalRegistry } = require('../src/index.cjs');
const { publicPackages, workspaceRoot } = require('../src/workspace-release.cjs');

// Verdaccio's usual port: an .npmrc line written once keeps working across restarts.
const DEFAULT_PORT = 4873;

function portFrom(argv) {
  const at = argv.indexOf('--port');
  if (at === -1) return DEFAULT_PORT;
  const port = Number(argv[at + 1]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`❌ --port wants a port number (1-65535), got '${argv[at + 1] ?? ''}'`);
    process.exit(2);
  }
  return port;
}

function build() {
  const projects = publicPackages()
    .map(({ json }) => json.name)
    .join(',');
  console.log('Building the public packages (nx; cached when nothing changed)…');
  const nx = require.resolve('nx/bin/nx.js', { paths: [workspaceRoot] });
  const run = spawnSync(process.execPath, [nx, 'run-many', '-t', 'build', `--projects=${projects}`, '--output-style=static'], {
    cwd: workspaceRoot,
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    console.error(`❌ The build failed:\n${run.stdout}${run.stderr}`);
    process.exit(1);
  }
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('Usage: npm run registry:local [-- --port <port>]   (default port 4873)');
    return;
  }
  const port = portFrom(argv);
  build();
  console.log(`Publishing them to a local registry on 127.0.0.1:${port} with changeset publish…`);
  let registry;
  try {
    registry = await startLocalRegistry({ port });
  } catch (error) {
    console.error(`❌ ${error.message}`);
    process.exit(1);
  }
  console.log(`✅ ${registry.url} serves ${registry.published.map((pkg) => `${pkg.name}@${pkg.version}`).join(', ')}`);
  console.log('');
  console.log('Point npm at it for the @marathon scope, in your plugin project:');
  console.log(`  echo "${registry.scopeLine}" >> .npmrc`);
  console.log('or for every project of yours:');
  console.log(`  npm config set @marathon:registry ${registry.url}`);
  console.log('Every other package still comes from your usual registry.');
  console.log('');
  console.log('Ctrl-C stops it (what it holds is removed; npm keeps its cached copies).');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await registry.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main();
