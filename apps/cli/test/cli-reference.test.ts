import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// docs/cli-commands.md is generated from the command classes; this keeps it from drifting.
test('docs/cli-commands.md is what the command classes say (regenerate: npm run docs:cli)', () => {
  const run = spawnSync(process.execPath, [join(__dirname, '..', 'scripts', 'write-cli-reference.mjs'), '--print'], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  const committed = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'cli-commands.md'), 'utf8');
  expect(run.stdout).toBe(committed);
  for (const id of ['plugin list', 'plugin install', 'plugin new', 'task run', 'config validate', 'keys add'])
    expect(committed).toContain(`## marathon ${id}\n`);
});
