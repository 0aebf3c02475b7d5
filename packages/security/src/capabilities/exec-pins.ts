// Pinned commands: an exec.allowed_commands entry such as { "command": "git", "args": [["status"]] }
// lets ctx.exec run git only with arguments that start with one of the listed prefixes. The worker
// gets the pins as plain data in its spec; this module imports nothing at run time, so loading it
// costs a sandbox worker nothing.
import type { Manifest } from '@marathon/manifest';

/** A command and the argument prefixes it is pinned to. */
export interface ExecPin {
  command: string;
  args: string[][];
}

/** The program names of exec.allowed_commands, plain or pinned. */
export function allowedCommandsOf(manifest: Manifest): string[] {
  return (manifest.exec?.allowed_commands ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.command));
}

/** The pinned entries of exec.allowed_commands, as structured-clone data for a worker. */
export function execPinsOf(manifest: Manifest): ExecPin[] {
  return (manifest.exec?.allowed_commands ?? []).flatMap((entry) =>
    typeof entry === 'string' ? [] : [{ command: entry.command, args: entry.args.map((prefix) => [...prefix]) }],
  );
}

/** The prefixes `command` is pinned to, or undefined when it takes any arguments. */
export function pinnedPrefixes(pins: readonly ExecPin[] | undefined, command: string): readonly (readonly string[])[] | undefined {
  return pins?.find((pin) => pin.command === command)?.args;
}

/** Whether `argv` starts with one of `prefixes`, argument by argument, exactly. */
export function startsWithAPrefix(prefixes: readonly (readonly string[])[], argv: readonly string[]): boolean {
  return prefixes.some((prefix) => prefix.length <= argv.length && prefix.every((arg, index) => argv[index] === arg));
}
