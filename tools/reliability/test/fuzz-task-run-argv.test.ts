// Fuzzing `marathon task run`'s hand-over of argv (issue 15, item 1): whatever follows the first
// `--`, the command receives byte for byte, through the real binary. `npm test` runs the same
// property a few times (apps/cli/test/issue-15-task-run-argv.test.ts); this is its full size.
import { workspace, type Workspace } from '../../../apps/cli/test/marathon-binary';
import { assertTaskRunHandsOverArgv } from '../../../apps/cli/test/task-argv-property';

let ws: Workspace;
beforeAll(() => {
  ws = workspace();
});
afterAll(() => ws.cleanup());

it('hands every argument after -- to the command exactly, 30 generated argv vectors through the real binary', async () => {
  await assertTaskRunHandsOverArgv(ws, { numRuns: 30, maxArgs: 12, maxLength: 16 });
});
