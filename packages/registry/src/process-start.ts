// When a process started, to tell it from a later one that got the same pid: pids repeat, and in
// containers every main process is pid 1. Linux only (/proc/<pid>/stat); elsewhere undefined, and
// the pid alone decides, as before.
import { readFileSync } from 'node:fs';
import { stagingPrefix } from './home-layout';

/** The start time of process `pid` in clock ticks since boot (field 22 of /proc/<pid>/stat), or undefined. */
export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces and ')': count from the last one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[19];
  return start !== undefined && /^\d+$/.test(start) ? start : undefined;
}

/**
 * Whether the process that recorded (`pid`, `start`) still runs: its pid is taken (EPERM: by
 * another user's process) and, when both are known, by a process with the same start time.
 */
export function processRuns(pid: number, start?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (start === undefined) return true;
  const now = processStartTime(pid);
  return now === undefined || now === start;
}

let ownStart: { value: string | undefined } | undefined;

/** This process's start time (processStartTime of its own pid): read once, it never changes. */
export function ownStartTime(): string | undefined {
  ownStart ??= { value: processStartTime(process.pid) };
  return ownStart.value;
}

/** The start of the name of a staging folder this process owns (stagingPrefix with its pid and start time). */
export function ownStagingPrefix(purpose?: string): string {
  return stagingPrefix(process.pid, purpose, ownStartTime());
}

/** This process as processRuns identifies it: `<pid>` or `<pid>.<start time>` (see parseProcessIdentity). */
export function processIdentity(): string {
  const start = ownStartTime();
  return start === undefined ? `${process.pid}` : `${process.pid}.${start}`;
}

/** The pid and start time a processIdentity names, or undefined when `identity` is not one. */
export function parseProcessIdentity(identity: string): { pid: number; start?: string } | undefined {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(identity);
  if (match === null) return undefined;
  return { pid: Number(match[1]), ...(match[2] === undefined ? {} : { start: match[2] }) };
}
