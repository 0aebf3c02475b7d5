import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Plugin authors may not use jest: the harness works from node's own runner, from the built package.
test('works from node --test', () => {
  const run = spawnSync(process.execPath, ['--test', join(__dirname, 'node-runner', 'kit-demo.test.mjs')], { encoding: 'utf8' });
  expect(run.stdout).toMatch(/# pass 1/);
  expect(run.stdout).toMatch(/# fail 0/);
  expect(run.status).toBe(0);
});
