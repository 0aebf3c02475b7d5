// Issue 15, item 8: `plugin install d-x --yes --with-dependencies` with d-x needing d-y and d-y
// needing d-x (both in a search path) spun at ~90% CPU with growing memory until killed. It is
// refused at once, naming the cycle (DEPENDENCY_CYCLE, as enable refuses one), and nothing is installed.
import { workspace, type Workspace } from './marathon-binary';
import { writePluginFolder } from './plugin-folder';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
  // task_write asks for consent: the refusal must come before any question.
  writePluginFolder(ws.plugins, { name: 'd-x', permissions: ['task_write'], manifest: { dependencies: { 'd-y': '^1.0.0' } }, body: '{}' });
  writePluginFolder(ws.plugins, { name: 'd-y', permissions: ['task_write'], manifest: { dependencies: { 'd-x': '^1.0.0' } }, body: '{}' });
});
afterEach(() => ws.cleanup());

const env = () => ({ MARATHON_PLUGIN_PATH: ws.plugins });
const CYCLE = 'plugins depend on each other in a cycle: d-x → d-y → d-x; break it by removing one dependency';

test('a cycle in the search path is refused at once, named, and nothing is installed', async () => {
  const started = Date.now();
  const outcome = await ws.run(['plugin', 'install', 'd-x', '--yes', '--with-dependencies'], { env: env() });
  // It used to run until killed; the binary starts in well under this even on a busy machine.
  expect(Date.now() - started).toBeLessThan(30_000);
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain(CYCLE);
  const listed = await ws.ok(['plugin', 'list', '--json'], { env: env() });
  expect(JSON.parse(listed.stdout)).toMatchObject({ plugins: [], summary: { total: 0 } });
}, 60_000);

test('--json gives the code and the cycle; without --yes it is refused before consent is asked (or refused)', async () => {
  const json = await ws.run(['plugin', 'install', 'd-x', '--yes', '--with-dependencies', '--json'], { env: env() });
  expect(json.code).toBe(1);
  expect(JSON.parse(json.stdout || json.stderr)).toMatchObject({ error: { code: 'DEPENDENCY_CYCLE', message: CYCLE } });
  // Not a terminal: consent, if it were asked, would be declined, and that refusal would be shown instead.
  const asked = await ws.run(['plugin', 'install', 'd-y', '--with-dependencies'], { env: env() });
  expect(asked.code).toBe(1);
  expect(asked.stderr).toContain('plugins depend on each other in a cycle: d-y → d-x → d-y');
  expect(asked.stderr).not.toMatch(/consent|task_write/i);
}, 60_000);
