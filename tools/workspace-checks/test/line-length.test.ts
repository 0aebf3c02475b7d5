// No line of code runs past 160 characters. Prettier wraps code at 140 but leaves long string
// literals, template literals and comments alone, so a long message could otherwise come back
// unnoticed: split one with `+` (the runtime string stays the same) or move it to a named constant.
// Plugin data under test/hostile/ and test/fixtures/ is written the way a plugin author writes it,
// and is out of scope; build output and dependencies are never tracked.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from './workspace';

const MAX_LINE = 160;
const CODE = ['*.ts', '*.tsx', '*.mts', '*.cts', '*.js', '*.jsx', '*.mjs', '*.cjs'];
const EXCLUDED = /(^|\/)(test\/hostile|test\/fixtures|dist|node_modules)\//;

function trackedCodeFiles(): string[] {
  const listed = spawnSync('git', ['ls-files', '-z', '--', ...CODE], { cwd: workspaceRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return listed.stdout.split('\0').filter((file) => file !== '' && !EXCLUDED.test(file));
}

test('the code files are found (the check is not vacuous)', () => {
  const files = trackedCodeFiles();
  expect(files).toContain('tools/workspace-checks/test/workspace.ts');
  expect(files.length).toBeGreaterThan(100);
});

test(`no line of tracked code is over ${MAX_LINE} characters`, () => {
  const long: string[] = [];
  for (const file of trackedCodeFiles()) {
    let text: string;
    try {
      text = readFileSync(join(workspaceRoot, file), 'utf8');
    } catch {
      continue; // deleted in the working tree but not yet in the index
    }
    text.split('\n').forEach((line, index) => {
      // Code points, not bytes or UTF-16 units: '—' and '✅' count once.
      const length = [...line].length;
      if (length > MAX_LINE) long.push(`${file}:${index + 1}: ${length} characters`);
    });
  }
  expect(long).toEqual([]);
});
