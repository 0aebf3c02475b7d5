// Issue 16: the CLI tells a Marathon error (written for the operator) from anything else by the
// MarathonError brand, not by a code that looks like ours: Node's ENOENT/EEXIST match /^[A-Z_]+$/
// too, and used to be printed as if they were advice. How errors are sorted is unit-tested in
// @marathon/oclif-plugin (test/error-kind.test.ts), whose internal it is.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspace, type Workspace } from './marathon-binary';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.cleanup());

describe('a raw Node error reaching the CLI', () => {
  // A MARATHON_HOME that is a file: creating the home's folders fails in fs itself (EEXIST).
  function homeIsAFile(): string {
    const file = join(ws.root, 'not-a-folder');
    writeFileSync(file, '');
    return file;
  }

  it('is shown as an unexpected error that names the path, not as an operator message', async () => {
    const file = homeIsAFile();
    const outcome = await ws.run(['plugin', 'list'], { env: { MARATHON_HOME: file } });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/^❌ unexpected error \(E[A-Z]+\): /);
    expect(outcome.stderr).toContain(file);
    expect(outcome.stderr).toContain('DEBUG=1');
    expect(outcome.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  it('is UNEXPECTED_ERROR in --json, with the path in its message', async () => {
    const file = homeIsAFile();
    const outcome = await ws.run(['plugin', 'list', '--json'], { env: { MARATHON_HOME: file } });
    expect(outcome.code).toBe(1);
    const { error } = JSON.parse(outcome.stdout) as { error: { code: string; message: string; details: string[] } };
    expect(error.code).toBe('UNEXPECTED_ERROR');
    expect(error.message).toMatch(/^unexpected error \(E[A-Z]+\): /);
    expect(error.message).toContain(file);
    expect(error.details).toEqual([]);
  });

  it('shows its stack with DEBUG', async () => {
    const outcome = await ws.run(['plugin', 'list'], { env: { MARATHON_HOME: homeIsAFile(), DEBUG: '1' } });
    expect(outcome.stderr).toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});
