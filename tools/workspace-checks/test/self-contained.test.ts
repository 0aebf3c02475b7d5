// The repository speaks for itself: no tracked file points at a document outside it. The design
// lives in docs/design.md; before it did, code, tests and docs cited a design file and a "seed"
// document that only existed beside the repository, where a reader of a clone cannot follow.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from './workspace';

// Built from parts, so that this file does not match itself.
const OUTSIDE = [
  new RegExp(['DESIGN', 'md'].join('\\.')),
  new RegExp(['\\.\\.', 'shared', ''].join('/')),
  new RegExp(['', 'work', 'shared'].join('/')),
  new RegExp(['seed', '000_'].join('/')),
];
const SEED = new RegExp(`\\bthe ${'seed'}\\b|\\b${'seed'}'s\\b`, 'i');

function trackedFiles(): string[] {
  const listed = spawnSync('git', ['ls-files', '-z'], { cwd: workspaceRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return listed.stdout
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(workspaceRoot, file)) && statSync(join(workspaceRoot, file)).isFile());
}

/** `file:line: text` for each line of a tracked text file that `pattern` matches. */
function linesMatching(pattern: RegExp): string[] {
  const found: string[] = [];
  for (const file of trackedFiles()) {
    const text = readFileSync(join(workspaceRoot, file), 'utf8');
    if (text.includes('\0')) continue;
    text.split('\n').forEach((line, index) => {
      if (pattern.test(line)) found.push(`${file}:${index + 1}: ${line.trim()}`);
    });
  }
  return found;
}

test('no tracked file references a path outside the repository', () => {
  expect(OUTSIDE.flatMap((pattern) => linesMatching(pattern))).toEqual([]);
});

test('no tracked file cites the outside source document by name: the design is docs/design.md', () => {
  expect(linesMatching(SEED)).toEqual([]);
});

test('docs/design.md exists with the sections the references point to', () => {
  const design = readFileSync(join(workspaceRoot, 'docs', 'design.md'), 'utf8');
  const headings = [...design.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
  expect(headings).toEqual([
    'Layout',
    'plugin.json',
    "A plugin's code",
    'The sandbox and ctx',
    'Hooks',
    'Lifecycle and state',
    'Trust at install',
    'Benchmarks',
    'CLI output',
  ]);
});
