// Issue 13, part 10: `exec.allowed_commands: ["git"]` was a shell (`git -c alias.x=!cmd x`), and
// `env` (like xargs, find -exec, sh, python -c, …) a trampoline to any program. One table of known
// commands (command-risks.ts) now decides which argument forms ctx.exec refuses and which granted
// commands the consent prompt calls a shell; these tests pin both, without running anything.
import { argumentRefusal, commandKey, shellReason } from '../../src/capabilities/command-risks';

describe('git: the option-injection forms are refused, pinned or not', () => {
  it.each<[string, string[], RegExp]>([
    [
      'an alias running a program through -c',
      ['-c', 'alias.x=!touch /tmp/p', 'x'],
      /^option '-c' is refused before the subcommand: it sets git configuration/,
    ],
    [
      '-c with its value attached',
      ['-calias.x=!touch /tmp/p', 'x'],
      /^option '-calias\.x=!touch \/tmp\/p' is refused before the subcommand/,
    ],
    ['--config-env', ['--config-env=core.pager=X', 'log'], /refused before the subcommand: it sets git configuration/],
    [
      '-C into another folder',
      ['-C', '/elsewhere', 'status'],
      /^option '-C' is refused before the subcommand: it points git at another folder/,
    ],
    ['--exec-path', ['--exec-path=/tmp/evil', 'status'], /names the folder git runs its own programs from/],
    ['--git-dir', ['--git-dir=/home/user/repo/.git', 'log'], /points git at another folder/],
    ['--work-tree', ['--work-tree=/', 'status'], /points git at another folder/],
    ['an unknown global option', ['--list-cmds=main', 'status'], /only --no-pager, --version, --help/],
    [
      '--upload-pack on clone',
      ['clone', '--upload-pack=touch /tmp/p', 'origin'],
      /^option '--upload-pack=touch \/tmp\/p' is refused: it names a program for git to run/,
    ],
    ['--upload-pack abbreviated', ['fetch', '--upl=touch /tmp/p', 'origin'], /^option '--upl=touch \/tmp\/p' is refused/],
    ['clone -u', ['clone', '-u', 'touch /tmp/p', 'origin'], /^clone option '-u' is refused: it names a program/],
    ['ls-remote -u attached', ['ls-remote', '-utouch', 'origin'], /^ls-remote option '-utouch' is refused/],
    [
      'clone -c (a config for the new repository)',
      ['clone', '-c', 'core.fsmonitor=touch /tmp/p', 'origin'],
      /^clone option '-c' is refused: it sets git configuration/,
    ],
    ['--receive-pack on push', ['push', '--receive-pack', 'touch /tmp/p', 'origin'], /names a program/],
    ['archive --exec', ['archive', '--remote=origin', '--exec=touch /tmp/p', 'HEAD'], /^option '--exec=touch \/tmp\/p' is refused/],
    [
      'diff --no-index reading /etc',
      ['diff', '--no-index', '/etc/passwd', 'notes.txt'],
      /^option '--no-index' is refused: it makes git compare files outside the repository/,
    ],
    ['--ext-diff', ['diff', '--ext-diff'], /external diff program/],
    ['--output', ['log', '--output=../../.bashrc'], /^option '--output=\.\.\/\.\.\/\.bashrc' is refused: it writes files where it says/],
    ['--template', ['init', '--template=hooks-from-elsewhere'], /copies files such as hooks/],
    ['grep -O (open files in a pager program)', ['grep', '-Otouch /tmp/p', 'x'], /^grep option '-Otouch \/tmp\/p' is refused/],
    ['rebase -x', ['rebase', '-x', 'touch /tmp/p', 'HEAD~1'], /^rebase option '-x' is refused: it runs a shell command/],
    ['rebase --exec', ['rebase', '--exec', 'touch /tmp/p'], /^option '--exec' is refused/],
    ['submodule foreach', ['submodule', '--quiet', 'foreach', 'touch /tmp/p'], /^submodule foreach is refused/],
    ['bisect run', ['bisect', 'run', 'touch', '/tmp/p'], /^bisect run is refused/],
    ['a config write adding an alias', ['config', 'alias.x', '!touch /tmp/p'], /^config is refused unless it only reads/],
    [
      'a config read of another file',
      ['config', '--file=/etc/gitconfig', '--get', 'x'],
      /^config option '--file=\/etc\/gitconfig' is refused/,
    ],
    ['difftool', ['difftool', '--extcmd=touch /tmp/p'], /^difftool is refused: it runs a diff tool program/],
    ['filter-branch', ['filter-branch', '--tree-filter', 'touch /tmp/p'], /^filter-branch is refused/],
    ['the ext:: transport', ['clone', 'ext::sh -c touch% /tmp/p', 'x'], /is a transport that runs a command/],
    ['a file: URL', ['clone', 'file:///home/user/secret-repo', 'x'], /transport that runs a command or reads local files/],
    ['an absolute path', ['show', '/etc/passwd'], /git may only work inside the plugin's data folder/],
    ['a path climbing out', ['log', '--', '../../other-plugin'], /git may only work inside/],
    ['a path after a short option', ['commit', '-F/etc/shadow'], /git may only work inside/],
    ['a home path', ['add', '~/.ssh/id_rsa'], /git may only work inside/],
  ])('%s', (_label, args, refusal) => {
    expect(argumentRefusal('git', args)).toMatch(refusal);
  });

  it.each([
    [['status']],
    [['status', '--porcelain']],
    [['--no-pager', 'log', '--oneline', '-n', '5']],
    [['rev-parse', 'HEAD']],
    [['log', '--format=%h %s', 'HEAD~3..HEAD']],
    [['diff', '--stat', 'origin/main...HEAD']],
    [['config', '--get', 'user.name']],
    [['grep', '-c', 'TODO']],
    [['add', '-u']],
    [['commit', '-m', 'fix: a bug']],
    [['--version']],
    [[]],
  ])('lets %j through', (args) => {
    expect(argumentRefusal('git', args)).toBeUndefined();
  });

  it('knows git by its file name, wherever it lives', () => {
    expect(argumentRefusal('/usr/lib/git-core/git', ['-c', 'a=b', 'status'])).toMatch(/refused/);
  });
});

describe('trampolines: a launcher may not start another program', () => {
  it.each<[string, string[], RegExp]>([
    [
      'env',
      ['touch', '/tmp/p'],
      /^argument 'touch' is refused: env would run it as a program; list the program itself in exec.allowed_commands$/,
    ],
    ['env', ['FOO=1', 'touch', '/tmp/p'], /^argument 'touch' is refused/],
    ['env', ['-i', 'touch', '/tmp/p'], /^argument 'touch' is refused/],
    ['env', ['-S', 'touch /tmp/p'], /^option '-S' is refused: its value is a command line env runs/],
    ['env', ['-iS', 'touch /tmp/p'], /^option '-iS' is refused/],
    ['env', ['--split-str=touch /tmp/p'], /^option '--split-str=touch \/tmp\/p' is refused/],
    ['/usr/bin/env', ['touch', '/tmp/p'], /env would run it/],
    ['xargs', ['touch'], /xargs would run it/],
    ['nice', ['-n', '5', 'touch', '/tmp/p'], /is refused: nice would run it/],
    ['timeout', ['5', 'touch', '/tmp/p'], /is refused: timeout would run it/],
    ['nohup', ['touch', '/tmp/p'], /nohup would run it/],
    ['sudo', ['touch', '/tmp/p'], /sudo would run it/],
    ['sudo', ['-s'], /^option '-s' is refused: it starts a shell/],
    ['busybox', ['sh', '-c', 'touch /tmp/p'], /busybox would run it/],
    ['npx', ['-c', 'touch /tmp/p'], /^option '-c' is refused/],
    ['find', ['.', '-exec', 'touch', '/tmp/p', ';'], /^'-exec' is refused: it runs a program$/],
    ['find', ['/', '-delete'], /^'-delete' is refused: it writes or deletes files$/],
    ['su', [], /^is refused: it runs a shell/],
    ['sh', ['-c', 'touch /tmp/p'], /^option '-c' is refused: it runs code given in the arguments$/],
    ['bash', ['-lc', 'touch /tmp/p'], /^option '-lc' is refused/],
    ['python3', ['-c', 'import os'], /^option '-c' is refused/],
    ['/usr/bin/python3.11', ['-m', 'http.server'], /^option '-m' is refused/],
    ['node', ['-e', 'require("child_process")'], /^option '-e' is refused/],
    ['node', ['--eval=1'], /^option '--eval=1' is refused/],
    ['perl', ['-ne', 'system("x")'], /^option '-ne' is refused/],
    ['awk', ['BEGIN { system("touch /tmp/p") }'], /^program 'BEGIN \{ system\("touch \/tmp\/p"\) \}' is refused/],
    ['make', ['X=$(shell touch /tmp/p)'], /^variable 'X=\$\(shell touch \/tmp\/p\)' is refused/],
    ['make', ['-f', '/tmp/evil.mk'], /^option '-f' is refused/],
    ['tar', ['-xf', 'a.tar', '--to-command=sh'], /^option '--to-command=sh' is refused/],
    ['tar', ['xIf', 'sh', 'a.tar'], /^options 'xIf' are refused/],
    ['tar', ['-xf', 'a.tar', '-C', '/'], /tar may only work inside/],
    ['npm', ['exec', 'cowsay'], /^'exec' is refused: it runs any package's code$/],
    ['ssh', ['-oProxyCommand=touch /tmp/p', 'host'], /^option '-oProxyCommand=touch \/tmp\/p' is refused/],
  ])('%s %j', (command, args, refusal) => {
    expect(argumentRefusal(command, args)).toMatch(refusal);
  });

  it.each<[string, string[]]>([
    ['env', []],
    ['env', ['-i', 'LANG=C']],
    ['xargs', ['-0']],
    ['find', ['.', '-name', '*.log', '-type', 'f']],
    ['python3', ['report.py']],
    ['awk', ['{ print $1 }', 'data.txt']],
    ['make', ['test']],
    ['tar', ['-czf', 'backup.tgz', 'notes']],
    ['npm', ['view', 'left-pad', 'version']],
    ['jq', ['-c', '.']],
    ['echo', ['-c']],
  ])('lets %s %j through', (command, args) => {
    expect(argumentRefusal(command, args)).toBeUndefined();
  });
});

describe('commandKey: one name for every spelling of a program', () => {
  it.each([
    ['/usr/bin/python3.12', 'python'],
    ['python3', 'python'],
    ['Python.exe', 'python'],
    ['/usr/lib/git-core/git', 'git'],
    ['pip3', 'pip'],
    ['jq', 'jq'],
  ])('%s is %s', (command, key) => {
    expect(commandKey(command)).toBe(key);
  });
});

describe('shellReason: what the consent prompt says about a granted command', () => {
  it('calls an unpinned git a shell', () => {
    expect(shellReason('git', undefined, false)).toBe('unpinned: git can run any program through its config');
  });

  it('does not call a pinned git a shell…', () => {
    expect(shellReason('git', [['status'], ['log', '--oneline']], false)).toBeUndefined();
  });

  it('…unless the plugin can also write the folder git reads its config and hooks from', () => {
    expect(shellReason('git', [['status']], true)).toBe(
      'pinned, but it obeys the .git config and hooks in its working folder, which this plugin can write',
    );
  });

  it('calls launchers and interpreters shells, pinned or not', () => {
    expect(shellReason('env', undefined, false)).toBe('env runs any program named in its arguments');
    expect(shellReason('env', [['-i']], false)).toBe('env runs any program named in its arguments');
    expect(shellReason('/usr/bin/python3', [['report.py']], false)).toBe(
      'python runs any code in its arguments, its input or a script file',
    );
    expect(shellReason('bash', undefined, false)).toBe('bash is a shell: it runs any command in its arguments, its input or a script');
    expect(shellReason('find', undefined, false)).toBe('find runs any program through -exec');
  });

  it('tells a read-only npm pin from one that runs package scripts', () => {
    expect(shellReason('npm', [['view'], ['ls']], false)).toBeUndefined();
    expect(shellReason('npm', [['view'], ['install']], false)).toBe(
      "pinned to 'install', but npm runs package scripts and any package's code (install, run, exec)",
    );
  });

  it('says nothing about programs it does not know', () => {
    expect(shellReason('jq', undefined, true)).toBeUndefined();
  });
});
