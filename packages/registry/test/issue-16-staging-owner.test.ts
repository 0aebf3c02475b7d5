// A staging folder names its process by pid and, on Linux, start time (issue 16: pids repeat, and
// in containers every main process is pid 1), and reads back what it was given.
import { processStartTime, stagingOwner, stagingPrefix } from '@marathon/registry';

it('names the owner by pid, start time and purpose, and reads them back', () => {
  expect(stagingOwner(`${stagingPrefix(42, undefined, '987')}abc123`)).toEqual({ pid: 42, start: '987' });
  expect(stagingOwner(`${stagingPrefix(42, 'sync', '987')}abc123`)).toEqual({ pid: 42, start: '987', purpose: 'sync' });
  // Folders named before the start time was recorded still read as their pid's.
  expect(stagingOwner('stage-42-abc123')).toEqual({ pid: 42 });
  expect(stagingOwner('stage-42-sync-abc123')).toEqual({ pid: 42, purpose: 'sync' });
  expect(stagingOwner('other')).toBeUndefined();
});

const linux = process.platform === 'linux' ? it : it.skip;
linux("reads a process's start time on Linux, the same each time, and none for a pid that does not run", () => {
  const start = processStartTime(process.pid);
  expect(start).toMatch(/^\d+$/);
  expect(processStartTime(process.pid)).toBe(start);
  expect(processStartTime(2 ** 22 + 1)).toBeUndefined();
});
