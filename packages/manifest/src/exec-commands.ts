// The entries of exec.allowed_commands, read the same way by everyone who shows or enforces them:
// a plain program name takes any arguments; a pinned one only arguments that start with one of its
// prefixes. Plain data in, plain data out: this module loads nothing, so sandbox workers may use it.
import type { ExecCommand } from './manifest';

/** The program an entry allows: `git` for both `"git"` and `{ "command": "git", … }`. */
export function execCommandName(entry: ExecCommand): string {
  return typeof entry === 'string' ? entry : entry.command;
}

/** The argument prefixes an entry is pinned to, or undefined when it takes any arguments. */
export function execArgumentPrefixes(entry: ExecCommand): readonly (readonly string[])[] | undefined {
  return typeof entry === 'string' ? undefined : entry.args;
}

const PLAIN_ARGUMENT = /^[A-Za-z0-9_@%+=:,./~^-]+$/;

/** An argv as an operator reads it: words with spaces or quotes are shown as JSON strings. */
export function formatArguments(args: readonly string[]): string {
  return args.map((arg) => (PLAIN_ARGUMENT.test(arg) ? arg : JSON.stringify(arg))).join(' ');
}

/** `git` or `git (only: status | log --oneline)`: an entry in one line, for prompts and listings. */
export function describeExecCommand(entry: ExecCommand): string {
  const prefixes = execArgumentPrefixes(entry);
  if (prefixes === undefined) return execCommandName(entry);
  return `${execCommandName(entry)} (only: ${prefixes.map(formatArguments).join(' | ')})`;
}
