// The forms of git's arguments that make it run another program, or work outside the plugin's data
// folder, refused by ctx.exec whether or not the plugin pinned git. git reads options anywhere on
// its command line and runs programs named in its configuration, so this is a list of what is known
// to be dangerous, not a proof that the rest is safe: command-risks.ts still tells the operator that
// an unpinned git amounts to a shell.
import { clusterLetter, pointsOutside, shortCluster, spelledLongOption } from './argument-forms';

const CONFIG = "it sets git configuration, which can run any program (an alias starting with '!', core.fsmonitor, a hook path)";
const ELSEWHERE = 'it points git at another folder or repository';
const RUNS = 'it names a program for git to run';

/** Options that may come before the subcommand; every other one is refused there. */
const SAFE_GLOBAL_OPTIONS = new Set([
  '--no-pager',
  '-P',
  '--version',
  '-v',
  '--help',
  '-h',
  '--no-replace-objects',
  '--no-optional-locks',
  '--literal-pathspecs',
  '--glob-pathspecs',
  '--noglob-pathspecs',
  '--icase-pathspecs',
  '--no-advice',
]);

/** Why a global option is refused, for those with a reason worth naming. */
const GLOBAL_OPTION_REASONS: ReadonlyMap<string, string> = new Map([
  ['-c', CONFIG],
  ['--config-env', CONFIG],
  ['-C', ELSEWHERE],
  ['--git-dir', ELSEWHERE],
  ['--work-tree', ELSEWHERE],
  ['--namespace', ELSEWHERE],
  ['--bare', ELSEWHERE],
  ['--exec-path', 'it names the folder git runs its own programs from'],
  ['-p', 'it starts a pager program'],
  ['--paginate', 'it starts a pager program'],
]);

/** Subcommands whose purpose is to run other programs (or to serve, or hand out secrets). */
const REFUSED_SUBCOMMANDS: ReadonlyMap<string, string> = new Map([
  ['difftool', 'it runs a diff tool program'],
  ['mergetool', 'it runs a merge tool program'],
  ['filter-branch', 'it runs shell code given as its filters'],
  ['send-email', 'it runs programs named in its options and configuration'],
  ['remote-ext', 'it runs the command given as its address'],
  ['daemon', 'it serves repositories to other machines'],
  ['instaweb', 'it starts a web server and a browser'],
  ['web--browse', 'it starts a browser'],
  ['shell', "it is git's login shell"],
  ['upload-pack', 'it is the serving side of a transfer'],
  ['receive-pack', 'it is the serving side of a transfer, which runs hooks'],
  ['upload-archive', 'it is the serving side of a transfer'],
  ['credential', 'it hands out stored credentials'],
  ['credential-store', 'it hands out stored credentials'],
  ['credential-cache', 'it hands out stored credentials'],
]);

/** A subcommand's own arguments that run a program: `git submodule foreach <cmd>`, `git bisect run <cmd>`. */
const REFUSED_ACTIONS: ReadonlyMap<string, readonly string[]> = new Map([
  ['submodule', ['foreach']],
  ['bisect', ['run']],
]);

/** Long options refused wherever they appear, with why. */
const REFUSED_LONG_OPTIONS: ReadonlyArray<[readonly string[], string]> = [
  [['upload-pack', 'receive-pack', 'exec', 'open-files-in-pager'], RUNS],
  [['exec-path'], 'it names the folder git runs its own programs from'],
  [['ext-diff'], 'it runs the external diff program of the configuration'],
  [['no-index'], 'it makes git compare files outside the repository'],
  [['output', 'output-directory'], 'it writes files where it says'],
  [['template'], 'it copies files such as hooks from another folder'],
  [['git-dir', 'work-tree', 'separate-git-dir'], ELSEWHERE],
  [['config', 'config-env'], CONFIG],
];
const REFUSED_LONG_NAMES = REFUSED_LONG_OPTIONS.flatMap(([names]) => names);

/** Short options with the same effect, for the subcommands where the letter means it. */
const REFUSED_SHORT_OPTIONS: ReadonlyMap<string, ReadonlyArray<[string, string]>> = new Map([
  [
    'clone',
    [
      ['u', RUNS],
      ['c', CONFIG],
    ],
  ],
  ['ls-remote', [['u', RUNS]]],
  ['grep', [['O', RUNS]]],
  ['rebase', [['x', 'it runs a shell command after each commit']]],
  [
    'help',
    [
      ['w', 'it starts a browser'],
      ['m', 'it starts a pager'],
      ['i', 'it starts a pager'],
    ],
  ],
]);

/** `git config` may only read: a write could add an alias or hook that runs any program. */
const CONFIG_READ_ACTIONS = new Set([
  '--get',
  '--get-all',
  '--get-regexp',
  '--get-urlmatch',
  '--get-color',
  '--get-colorbool',
  '--list',
  '-l',
  'get',
  'list',
]);
const CONFIG_REFUSED_OPTIONS = new Set(['-e', '--edit', '-f', '--file', '--global', '--system', '--worktree', '--blob']);

function globalOptionRefusal(arg: string): string | undefined {
  if (SAFE_GLOBAL_OPTIONS.has(arg)) return undefined;
  const key = arg.startsWith('--') ? arg.split('=')[0]! : arg.slice(0, 2);
  const reason =
    GLOBAL_OPTION_REASONS.get(key) ?? 'only --no-pager, --version, --help and the pathspec options may come before the subcommand';
  return `option '${arg}' is refused before the subcommand: ${reason}`;
}

function configRefusal(args: readonly string[]): string | undefined {
  const refused = args.find((arg) => CONFIG_REFUSED_OPTIONS.has(arg.split('=')[0]!));
  if (refused !== undefined) return `config option '${refused}' is refused: it edits or reads configuration outside the repository`;
  if (!args.some((arg) => CONFIG_READ_ACTIONS.has(arg))) {
    return 'config is refused unless it only reads (--get, --get-all, --get-regexp, --list): a write can add an alias or hook that runs any program';
  }
  return undefined;
}

function argumentRefusal(subcommand: string, arg: string): string | undefined {
  const long = spelledLongOption(arg, REFUSED_LONG_NAMES);
  if (long !== undefined) {
    const reason = REFUSED_LONG_OPTIONS.find(([names]) => names.includes(long))![1];
    return `option '${arg}' is refused: ${reason}`;
  }
  for (const [letter, reason] of REFUSED_SHORT_OPTIONS.get(subcommand) ?? []) {
    if (clusterLetter(arg, letter) !== undefined) return `${subcommand} option '${arg}' is refused: ${reason}`;
  }
  if (/^(?:ext|fd)::/i.test(arg) || /^file:/i.test(arg))
    return `argument '${arg}' is refused: it is a transport that runs a command or reads local files`;
  if (pointsOutside(arg)) {
    return `argument '${arg}' is refused: git may only work inside the plugin's data folder (no absolute paths, '~' or '..')`;
  }
  return undefined;
}

/** Why git must not run with `args`, or undefined when no known dangerous form is in them. */
export function gitArgumentRefusal(args: readonly string[]): string | undefined {
  let index = 0;
  for (; index < args.length && args[index]!.startsWith('-'); index++) {
    const refusal = globalOptionRefusal(args[index]!);
    if (refusal !== undefined) return refusal;
  }
  const subcommand = args[index];
  if (subcommand === undefined) return undefined;
  const rest = args.slice(index + 1);
  const refusedSubcommand = REFUSED_SUBCOMMANDS.get(subcommand);
  if (refusedSubcommand !== undefined) return `${subcommand} is refused: ${refusedSubcommand}`;
  const action = rest.find((arg) => shortCluster(arg) === undefined && !arg.startsWith('--'));
  if (action !== undefined && REFUSED_ACTIONS.get(subcommand)?.includes(action) === true) {
    return `${subcommand} ${action} is refused: it runs a command given as its arguments`;
  }
  if (subcommand === 'config') {
    const refusal = configRefusal(rest);
    if (refusal !== undefined) return refusal;
  }
  for (const arg of [subcommand, ...rest]) {
    const refusal = argumentRefusal(subcommand, arg);
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}
