// How command-line arguments spell options, for the checks in command-risks.ts: long options as
// getopt_long and git accept them (in full or abbreviated, with `=value` or not), clusters of short
// options (`-lc`), and values that name a place outside the working folder. Each check errs on the
// side of seeing an option where there may be none: a false alarm refuses a call, a miss runs one.

/** The name of `--name` or `--name=value`, lowercased; undefined for anything else (`--` included). */
export function longOptionName(arg: string): string | undefined {
  if (!arg.startsWith('--') || arg.length === 2) return undefined;
  const equals = arg.indexOf('=');
  return (equals === -1 ? arg.slice(2) : arg.slice(2, equals)).toLowerCase();
}

/**
 * Which of `names` (without dashes) `arg` spells as a long option: in full, or abbreviated, since
 * getopt_long and git's option parser take any unambiguous prefix (`--upload-p` is `--upload-pack`).
 */
export function spelledLongOption(arg: string, names: readonly string[]): string | undefined {
  const name = longOptionName(arg);
  if (name === undefined) return undefined;
  return names.find((candidate) => candidate.startsWith(name));
}

/** The letters of a cluster of short options (`-lc` → `lc`), value letters included; undefined otherwise. */
export function shortCluster(arg: string): string | undefined {
  return /^-[^-]/.test(arg) ? arg.slice(1) : undefined;
}

/** The first of `letters` a short-option cluster holds, e.g. `c` for `-lc` and `c`. */
export function clusterLetter(arg: string, letters: string): string | undefined {
  const cluster = shortCluster(arg);
  return cluster === undefined ? undefined : [...cluster].find((letter) => letters.includes(letter));
}

/** Whether `arg` is one of `options` exactly, or one of them followed by `=value`. */
export function isOption(arg: string, options: readonly string[]): boolean {
  return options.some((option) => arg === option || arg.startsWith(`${option}=`));
}

/** An assignment such as `CC=gcc`, as env and make read their arguments. */
export function isAssignment(arg: string): boolean {
  return /^[A-Za-z_.][A-Za-z0-9_.]*\+?=/.test(arg);
}

/** Whether a path leaves the folder it is read in: absolute, home-relative, or climbing with `..`. */
function leavesFolder(value: string): boolean {
  if (/^[/\\~]/.test(value) || /^[A-Za-z]:/.test(value)) return true;
  return value.split(/[/\\]/).includes('..');
}

/**
 * Whether an argument names a place outside the working folder, as itself (`/etc/passwd`), as the
 * value of a long option (`--output=../x`), or after the letters of a short option (`-F/etc/x`).
 */
export function pointsOutside(arg: string): boolean {
  if (leavesFolder(arg)) return true;
  const equals = arg.indexOf('=');
  if (arg.startsWith('--') && equals !== -1 && leavesFolder(arg.slice(equals + 1))) return true;
  if (shortCluster(arg) === undefined) return false;
  for (let index = 2; index < arg.length; index++) if (leavesFolder(arg.slice(index))) return true;
  return false;
}
