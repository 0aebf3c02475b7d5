// `marathon task run [flags] -- <command> [args…]`: everything after the first `--` is the task's
// own command line, handed to it byte for byte. oclif's non-strict parse cannot be given that part
// (it sorts arguments by first occurrence and treats a later `--` as its own), so the raw argv is
// split here and oclif parses only the part before the `--`.

export interface TaskArgv {
  /** What oclif parses for flags: everything before the first `--` (all of argv without one). */
  flags: string[];
  /** The command and its arguments, exactly as given after the first `--`; undefined without a `--`. */
  command: string[] | undefined;
}

export function splitTaskArgv(argv: readonly string[]): TaskArgv {
  const separator = argv.indexOf('--');
  if (separator === -1) return { flags: [...argv], command: undefined };
  return { flags: argv.slice(0, separator), command: argv.slice(separator + 1) };
}
