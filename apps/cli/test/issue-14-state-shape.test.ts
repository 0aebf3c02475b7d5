// Issue 14, part 10 (the state piece), through the binary: a state.json with `plugins: []` (or
// another shape Marathon never writes) gave TypeErrors or a false "installed successfully". Every
// command that changes plugins now refuses with the file, what is wrong and what to do — and
// leaves the file as it is.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

const STACK = /\n\s+at .+:\d+:\d+/;

test.each([
  ['plugins: []', { version: 1, plugins: [] }, 'plugins is an array, not an object of plugin records keyed by name'],
  ['plugins: null', { version: 1, plugins: null }, 'plugins is null, not an object of plugin records keyed by name'],
  [
    'a record that is a string',
    { version: 1, plugins: { 'hello-world': 'installed' } },
    'plugins["hello-world"] is a string, not an object',
  ],
])(
  'a state.json with %s: install and enable refuse, naming the file and the problem; nothing is changed',
  async (_label, state, problem) => {
    const file = join(ws.home, 'state.json');
    await ws.ok(['plugin', 'list']);
    const text = JSON.stringify(state);
    writeFileSync(file, text);
    const lock = join(ws.root, 'empty.lock.json');
    writeFileSync(lock, JSON.stringify({ lockfileVersion: 1, plugins: {} }));
    for (const args of [
      ['plugin', 'install', 'hello-world', '--yes'],
      ['plugin', 'enable', 'hello-world'],
      ['plugin', 'uninstall', 'hello-world'],
      ['plugin', 'sync', lock],
    ]) {
      const outcome = await ws.run(args);
      expect({ args, code: outcome.code }).toEqual({ args, code: 1 });
      expect(outcome.stdout).not.toContain('successfully');
      expect(outcome.stderr).not.toMatch(/TypeError|Cannot read properties/);
      expect(outcome.stderr).not.toMatch(STACK);
      expect(outcome.stderr).toContain(`${file} holds what Marathon never writes`);
      expect(outcome.stderr).toContain(problem);
    }
    expect(readFileSync(file, 'utf8')).toBe(text);
  },
);
