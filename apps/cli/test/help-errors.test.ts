import { workspace, type Workspace } from './marathon-binary';

// Found by the reliability fuzz suite: `marathon help <not a command> --json` made oclif's error
// handler show help for an argv that names no command; that threw inside the handler, which then
// printed both errors with their JavaScript stack traces.
let ws: Workspace;
beforeAll(() => {
  ws = workspace();
});
afterAll(() => ws.cleanup());

const STACK_FRAME = /^\s+at (?:.+ \()?\S+:\d+:\d+\)?$/m;

it('reports a bad flag given to help for an unknown command without a stack trace', async () => {
  const outcome = await ws.run(['help', 'does-not-exist', '--json']);
  expect(outcome.code).toBe(2);
  expect(outcome.stderr).toContain('Nonexistent flag: --json');
  expect(outcome.stderr).not.toMatch(STACK_FRAME);
  expect(outcome.stderr).not.toContain('Command does-not-exist not found');
});

it("still shows the command's help after a bad flag, and still refuses help for an unknown command", async () => {
  const badFlag = await ws.run(['plugin', 'list', '--bogus']);
  expect(badFlag.code).toBe(2);
  expect(badFlag.stderr).toContain('USAGE');
  const unknown = await ws.run(['help', 'nope']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('Command nope not found');
  expect(`${badFlag.stderr}${unknown.stderr}`).not.toMatch(STACK_FRAME);
});
