#!/usr/bin/env node
// The Quick start's first command: the hello-world demo, run with the real `marathon` binary in a
// throwaway MARATHON_HOME — install, enable and run hello-world, then list: the transcript of
// docs/design.md ("CLI output"). Each step is shown as `$ marathon …` followed by what the binary
// printed; the home is removed at the end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const marathon = join(root, 'apps', 'cli', 'bin', 'run.js');
const home = mkdtempSync(join(tmpdir(), 'marathon-demo-'));
const steps = [
  ['plugin', 'install', 'hello-world'],
  ['plugin', 'enable', 'hello-world'],
  ['plugin', 'run', 'hello-world', 'hello'],
  ['plugin', 'run', 'hello-world', 'greet', 'Marathon'],
  ['plugin', 'list'],
];

let failed = false;
try {
  console.log(`# MARATHON_HOME=${home} (removed afterwards)\n`);
  for (const args of steps) {
    console.log(`$ marathon ${args.join(' ')}`);
    const run = spawnSync(process.execPath, [marathon, ...args], { env: { ...process.env, MARATHON_HOME: home }, stdio: 'inherit' });
    if (run.status !== 0) {
      console.error(`marathon ${args.join(' ')} exited with ${run.status}`);
      failed = true;
      break;
    }
    console.log('');
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
