// The one table of programs known to amount to a shell when a plugin may run them: shells and
// interpreters run any code, launchers (env, xargs, sudo, …) any program, and configurable tools
// (git, npm, make, …) whatever their configuration or project files say. ctx.exec refuses the
// argument forms known to do that (see refusal), and the consent prompt says plainly which granted
// commands amount to a shell (see shellReason). Both read this table and nothing else.
import { clusterLetter, isAssignment, isOption, pointsOutside, spelledLongOption } from './argument-forms';
import { gitArgumentRefusal } from './git-arguments';

export interface CommandRisk {
  /** 'always': pins do not help, the arguments or input still name the code; 'unpinned': pinning makes it safe. */
  readonly shellWhen: 'always' | 'unpinned';
  /** Why a grant of it amounts to a shell, for the operator: "git can run any program through its config". */
  readonly why: string;
  /** What in its working folder it obeys: a plugin that can write there makes even a pinned grant a shell. */
  readonly obeys?: string;
  /** Subcommands that are safe to pin; a pin starting with any other (npm install) still amounts to a shell. */
  readonly safeSubcommands?: readonly string[];
  /** A known argument form that runs another program or reaches outside the plugin's folder: why it is refused. */
  readonly refusal?: (args: readonly string[]) => string | undefined;
}

type Refusal = NonNullable<CommandRisk['refusal']>;

/** The first argument `problem` has something against, as a refusal. */
function firstProblem(problem: (arg: string, index: number) => string | undefined): Refusal {
  return (args) => {
    for (let index = 0; index < args.length; index++) {
      const found = problem(args[index]!, index);
      if (found !== undefined) return found;
    }
    return undefined;
  };
}

/** Refuses short-option clusters holding one of `letters` and the given long or single-dash options. */
function optionRefusal(reason: string, forms: { letters?: string; long?: readonly string[]; exact?: readonly string[] }): Refusal {
  return firstProblem((arg) => {
    const refused =
      (forms.letters !== undefined && clusterLetter(arg, forms.letters) !== undefined) ||
      (forms.long !== undefined && spelledLongOption(arg, forms.long) !== undefined) ||
      (forms.exact !== undefined && isOption(arg, forms.exact));
    return refused ? `option '${arg}' is refused: ${reason}` : undefined;
  });
}

function either(...refusals: Refusal[]): Refusal {
  return (args) => refusals.map((refusal) => refusal(args)).find((found) => found !== undefined);
}

const INLINE_CODE = 'it runs code given in the arguments';

/** A launcher runs the program named by its first argument that is not an option. */
function launcherRefusal(name: string, allowAssignments = false): Refusal {
  return firstProblem((arg) =>
    arg.startsWith('-') || (allowAssignments && isAssignment(arg))
      ? undefined
      : `argument '${arg}' is refused: ${name} would run it as a program; list the program itself in exec.allowed_commands`,
  );
}

const refuseAlways =
  (reason: string): Refusal =>
  () =>
    `is refused: ${reason}`;

const table = new Map<string, CommandRisk>();

function add(names: readonly string[], risk: (name: string) => CommandRisk): void {
  for (const name of names) table.set(name, risk(name));
}

// Shells: -c (also inside clusters such as -lc) runs its argument.
add(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh', 'rbash'], (name) => ({
  shellWhen: 'always',
  why: `${name} is a shell: it runs any command in its arguments, its input or a script`,
  refusal: optionRefusal(INLINE_CODE, { letters: 'cC', long: ['command', 'init-command', 'rcfile', 'init-file'] }),
}));

// Interpreters: each has its own spelling of "run this code".
const interpreter =
  (refusal: Refusal) =>
  (name: string): CommandRisk => ({
    shellWhen: 'always',
    why: `${name} runs any code in its arguments, its input or a script file`,
    refusal,
  });
add(['python', 'pypy'], interpreter(optionRefusal(`${INLINE_CODE} or a module (-m)`, { letters: 'cm' })));
add(
  ['node', 'nodejs', 'bun', 'deno'],
  interpreter(
    either(
      optionRefusal(INLINE_CODE, {
        exact: ['-e', '--eval', '-p', '--print', '-r', '--require', '--import', '--loader', '--experimental-loader', '-i', '--interactive'],
      }),
      firstProblem((arg, index) => (index === 0 && (arg === 'eval' || arg === 'repl') ? `'${arg}' is refused: ${INLINE_CODE}` : undefined)),
    ),
  ),
);
add(['perl'], interpreter(optionRefusal(INLINE_CODE, { letters: 'eEmMx' })));
add(['ruby', 'irb'], interpreter(optionRefusal(INLINE_CODE, { letters: 'er' })));
add(['php'], interpreter(optionRefusal(INLINE_CODE, { exact: ['-r', '-B', '-R', '-E', '-F', '-a'] })));
add(['lua', 'luajit', 'osascript', 'rscript', 'r'], interpreter(optionRefusal(INLINE_CODE, { exact: ['-e', '-l'] })));
add(['tclsh', 'wish', 'expect'], interpreter(optionRefusal(INLINE_CODE, { exact: ['-c'] })));
add(
  ['pwsh', 'powershell'],
  interpreter(
    firstProblem((arg) =>
      /^-(?:c|co|com|comm|comma|comman|command|e|ec|en|enc|encodedcommand|f|file)$/i.test(arg.split(':')[0]!)
        ? `option '${arg}' is refused: ${INLINE_CODE}`
        : undefined,
    ),
  ),
);
// awk's program is an argument; system(), pipes and getline are how it runs other programs.
add(
  ['awk', 'gawk', 'mawk', 'nawk'],
  interpreter(
    either(
      optionRefusal('it loads a program or extension from a file', {
        exact: ['-f', '-E', '-l', '-i'],
        long: ['file', 'exec', 'load', 'include'],
      }),
      firstProblem((arg) =>
        /system|getline|\|/.test(arg) ? `program '${arg}' is refused: it runs other programs (system, getline or a pipe)` : undefined,
      ),
    ),
  ),
);

// Launchers: they run the program their first non-option argument names.
const launcher =
  (refusal: (name: string) => Refusal) =>
  (name: string): CommandRisk => ({
    shellWhen: 'always',
    why: `${name} runs any program named in its arguments`,
    refusal: refusal(name),
  });
add(
  ['env'],
  launcher((name) =>
    either(optionRefusal('its value is a command line env runs', { letters: 'S', long: ['split-string'] }), launcherRefusal(name, true)),
  ),
);
add(
  [
    'xargs',
    'nice',
    'nohup',
    'timeout',
    'stdbuf',
    'setsid',
    'chroot',
    'flock',
    'ionice',
    'taskset',
    'chrt',
    'time',
    'watch',
    'strace',
    'ltrace',
    'unshare',
    'nsenter',
    'prlimit',
    'numactl',
    'busybox',
    'toybox',
    'command',
    'valgrind',
    'systemd-run',
    'fakeroot',
    'xvfb-run',
    'gtimeout',
    'caffeinate',
  ],
  launcher((name) => launcherRefusal(name)),
);
add(
  ['sudo', 'doas', 'pkexec', 'runuser'],
  launcher((name) =>
    either(
      optionRefusal('it starts a shell or an editor as another user', { letters: 'sie', long: ['shell', 'login', 'edit'] }),
      launcherRefusal(name),
    ),
  ),
);
add(
  ['npx'],
  launcher((name) => either(optionRefusal(INLINE_CODE, { exact: ['-c', '--call'] }), launcherRefusal(name))),
);
add(
  ['gdb'],
  launcher((name) =>
    either(
      optionRefusal('it runs debugger commands, which include shell commands', {
        exact: ['-ex', '-iex', '-x', '-ix', '-eval-command', '-init-eval-command'],
        long: ['ex', 'eval-command', 'init-eval-command', 'command', 'init-command'],
      }),
      launcherRefusal(name),
    ),
  ),
);
add(['su', 'script', 'parallel'], (name) => ({
  shellWhen: 'always',
  why: `${name} runs a shell, or the commands in its input`,
  refusal: refuseAlways('it runs a shell, or the commands in its input'),
}));
add(['find'], (name) => ({
  shellWhen: 'always',
  why: `${name} runs any program through -exec`,
  refusal: firstProblem((arg) =>
    ['-exec', '-execdir', '-ok', '-okdir'].includes(arg)
      ? `'${arg}' is refused: it runs a program`
      : ['-fprint', '-fprint0', '-fprintf', '-fls', '-delete'].includes(arg)
        ? `'${arg}' is refused: it writes or deletes files`
        : undefined,
  ),
}));
add(['ssh'], (name) => ({
  shellWhen: 'always',
  why: `${name} runs any command on the machine it logs in to, and through ProxyCommand on this one`,
  refusal: either(
    optionRefusal('it sets ssh options or config, which can run a local command (ProxyCommand)', { letters: 'oF' }),
    firstProblem((arg) =>
      /(?:proxy|local|knownhosts)command/i.test(arg) ? `argument '${arg}' is refused: it runs a local command` : undefined,
    ),
  ),
}));

// Configurable tools: safe only when pinned, since their configuration or project files name programs.
add(['git'], (name) => ({
  shellWhen: 'unpinned',
  why: `${name} can run any program through its config`,
  obeys: 'the .git config and hooks in its working folder',
  refusal: gitArgumentRefusal,
}));
add(['npm', 'pnpm', 'yarn'], (name) => ({
  shellWhen: 'unpinned',
  why: `${name} runs package scripts and any package's code (install, run, exec)`,
  obeys: 'the package.json scripts in its working folder',
  safeSubcommands: [
    'view',
    'v',
    'info',
    'show',
    'ls',
    'list',
    'll',
    'la',
    'outdated',
    'search',
    's',
    'find',
    'ping',
    'whoami',
    'root',
    'prefix',
    'explain',
    'why',
    'query',
    '--version',
    '-v',
  ],
  refusal: either(
    firstProblem((arg) =>
      ['exec', 'x', 'dlx', 'explore', 'edit', 'create'].includes(arg) ? `'${arg}' is refused: it runs any package's code` : undefined,
    ),
    optionRefusal('it names a program or configuration npm runs', {
      exact: ['-c'],
      long: [
        'call',
        'script-shell',
        'node-options',
        'userconfig',
        'globalconfig',
        'editor',
        'shell',
        'browser',
        'git',
        'node-gyp',
        'init-module',
      ],
    }),
  ),
}));
add(['make', 'gmake'], (name) => ({
  shellWhen: 'unpinned',
  why: `${name} runs the commands its Makefile and arguments give it`,
  obeys: 'the Makefile in its working folder',
  refusal: either(
    optionRefusal('it reads another makefile or evaluates make code', {
      letters: 'fCEI',
      long: ['file', 'makefile', 'directory', 'eval', 'include-dir'],
    }),
    firstProblem((arg) =>
      !arg.startsWith('-') && isAssignment(arg) ? `variable '${arg}' is refused: make variables can run commands ($(shell …))` : undefined,
    ),
  ),
}));
add(['tar', 'gtar', 'bsdtar'], (name) => ({
  shellWhen: 'unpinned',
  why: `${name} can run programs through --to-command, --use-compress-program and checkpoint actions`,
  refusal: either(
    optionRefusal('it runs a program or writes outside the working folder', {
      letters: 'IFP',
      long: [
        'to-command',
        'use-compress-program',
        'checkpoint-action',
        'info-script',
        'new-volume-script',
        'rsh-command',
        'rmt-command',
        'absolute-names',
      ],
    }),
    // Old-style options: a first argument without a dash is a cluster (`tar xIf prog a.tar`).
    firstProblem((arg, index) =>
      index === 0 && !arg.startsWith('-') && /[IFP]/.test(arg)
        ? `options '${arg}' are refused: they run a program or write outside the working folder`
        : undefined,
    ),
    firstProblem((arg) =>
      pointsOutside(arg) || /^[^-/][^/]*:/.test(arg)
        ? `argument '${arg}' is refused: ${name} may only work inside the plugin's data folder`
        : undefined,
    ),
  ),
}));
add(['docker', 'podman'], (name) => ({
  shellWhen: 'unpinned',
  why: `${name} can start containers with this machine's files and root rights`,
  safeSubcommands: ['ps', 'images', 'version', 'info', 'inspect', 'logs', 'stats', 'top', '--version'],
}));
add(['cargo'], (name) => ({
  shellWhen: 'unpinned',
  why: `${name} builds and runs code (build scripts, cargo run, cargo install)`,
  obeys: 'the Cargo.toml and build scripts in its working folder',
  safeSubcommands: ['--version', '-V', 'version', 'metadata', 'tree', 'search', 'locate-project', 'pkgid', 'verify-project'],
  refusal: optionRefusal('it sets configuration, which can name a program to run', { long: ['config'] }),
}));
add(['go'], (name) => ({
  shellWhen: 'unpinned',
  why: `${name} builds and runs code (go run, go generate, go test)`,
  obeys: 'the Go sources in its working folder',
  safeSubcommands: ['version', 'env', 'list', 'doc', 'help'],
  refusal: optionRefusal(`it names a program for ${name} to run`, { exact: ['-toolexec', '--toolexec', '-exec', '--exec'] }),
}));
add(['pip'], (name) => ({
  shellWhen: 'unpinned',
  why: `${name} runs the setup code of the packages it installs`,
  safeSubcommands: ['list', 'show', 'freeze', 'check', 'help', 'inspect', '--version', '-V'],
}));

/**
 * The table's name for a command: its file name, lowercased, without `.exe` or a version suffix, so
 * that `/usr/bin/python3.12`, `python3` and `Python.exe` are all `python`.
 */
export function commandKey(command: string): string {
  const file = command.slice(Math.max(command.lastIndexOf('/'), command.lastIndexOf('\\')) + 1).toLowerCase();
  return file.replace(/\.exe$/, '').replace(/(?<=[a-z])[\d.]+$/, '');
}

export function commandRisk(command: string): CommandRisk | undefined {
  return table.get(commandKey(command));
}

/** Why ctx.exec must refuse to run `command` with `args` ("option '-c' is refused: …"), or undefined. */
export function argumentRefusal(command: string, args: readonly string[]): string | undefined {
  return commandRisk(command)?.refusal?.(args);
}

/** The first argument of a pin that is not an option: its subcommand. */
function subcommandOf(prefix: readonly string[]): string | undefined {
  return prefix.find((arg) => !arg.startsWith('-')) ?? prefix[0];
}

/**
 * Why a grant of `command` amounts to a shell, in words for the consent prompt, or undefined when
 * it does not. `prefixes` are its pins (undefined: any arguments); `canWriteFolder` whether the
 * plugin can also write the working folder the command reads its configuration from.
 */
export function shellReason(
  command: string,
  prefixes: readonly (readonly string[])[] | undefined,
  canWriteFolder: boolean,
): string | undefined {
  const risk = commandRisk(command);
  if (risk === undefined) return undefined;
  if (risk.shellWhen === 'always') return risk.why;
  if (prefixes === undefined) return `unpinned: ${risk.why}`;
  if (canWriteFolder && risk.obeys !== undefined) return `pinned, but it obeys ${risk.obeys}, which this plugin can write`;
  const unsafe =
    risk.safeSubcommands === undefined ? undefined : prefixes.find((prefix) => !risk.safeSubcommands!.includes(subcommandOf(prefix) ?? ''));
  if (unsafe !== undefined) return `pinned to '${unsafe.join(' ')}', but ${risk.why}`;
  return undefined;
}
