// Issue 13, part 10: a plugin allowed to run `git` could run any program through git's own options
// (`git -c alias.x=!cmd x`, `--upload-pack`, `-C /elsewhere`, …), and one allowed to run `env` could
// start any program (`env touch …`). Each hostile plugin below tries, with `touch` into a folder
// the test watches; ctx.exec must refuse every attempt with EPERM, audit it, run nothing, and leave
// a well-behaved plugin in the same host answering.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxHost, type CommandResult, type SandboxedPlugin } from '@marathon/security';
import { fixtures, hostileDir, loadPlugin, tempHome } from '../sandbox-helpers';

let host: SandboxHost;
let hello: SandboxedPlugin;
let home: { home: string; cleanup(): void };
/** Where every attack tries to create a file; it must stay empty. */
let target: string;

beforeAll(async () => {
  home = tempHome();
  host = new SandboxHost({ policy: { limits: { call_deadline_ms: 10_000 } } });
  hello = await loadPlugin(host, join(fixtures, 'hello'), home.home);
  await hello.init();
});

beforeEach(() => {
  target = mkdtempSync(join(tmpdir(), 'marathon-exec-target-'));
});

afterEach(async () => {
  rmSync(target, { recursive: true, force: true });
  expect(await hello.runCommand('hello', [])).toEqual({ ok: true, output: 'Hello, World!' });
});

afterAll(async () => {
  await host.close();
  home.cleanup();
});

async function run(name: string, command: string, args: string[] = []): Promise<string> {
  const plugin = await loadPlugin(host, join(hostileDir, name), home.home);
  const result: CommandResult = await plugin.runCommand(command, args);
  if (!result.ok) throw new Error(`${name} ${command} failed: ${result.error.code}: ${result.error.message}`);
  return result.output ?? '';
}

function deniedTargets(plugin: string): string[] {
  return host.audit.query({ plugin, capability: 'exec', allowed: false }).map((entry) => entry.target);
}

describe('the attacks are real on this machine', () => {
  // Without these, a refusal below could be a missing program rather than the guard.
  it('git -c alias.x=!touch … runs touch when git is started directly', () => {
    execFileSync('git', ['-c', `alias.x=!touch ${target}/direct`, 'x'], { cwd: target, stdio: 'ignore' });
    expect(existsSync(join(target, 'direct'))).toBe(true);
  });

  it('env touch … runs touch when env is started directly', () => {
    execFileSync('env', ['touch', `${target}/direct`]);
    expect(existsSync(join(target, 'direct'))).toBe(true);
  });
});

describe('a plugin allowed to run git', () => {
  it('can run git itself', async () => {
    expect(await run('exec-git-injection', 'control')).toMatch(/^git version /);
  });

  it('is refused every option-injection form, and none of them runs anything', async () => {
    const outcomes = JSON.parse(await run('exec-git-injection', 'attack', [target])) as string[];
    expect(outcomes).toEqual([
      expect.stringMatching(
        /^EPERM: exec: git option '-c' is refused before the subcommand: it sets git configuration, which can run any program \(an alias starting with '!'/,
      ),
      expect.stringMatching(/^EPERM: exec: git option '-calias\.y=!touch .*' is refused before the subcommand: it sets git configuration/),
      expect.stringMatching(/^EPERM: exec: git option '-c' is refused before the subcommand/),
      expect.stringMatching(/^EPERM: exec: git option '--upload-pack=touch .*' is refused: it names a program for git to run$/),
      "EPERM: exec: git clone option '-u' is refused: it names a program for git to run",
      "EPERM: exec: git option '-C' is refused before the subcommand: it points git at another folder or repository",
      expect.stringMatching(
        /^EPERM: exec: git option '--exec-path=.*' is refused before the subcommand: it names the folder git runs its own programs from$/,
      ),
      "EPERM: exec: git option '--git-dir' is refused before the subcommand: it points git at another folder or repository",
      expect.stringMatching(/^EPERM: exec: git option '--template=.*' is refused: it copies files such as hooks from another folder$/),
      expect.stringMatching(/^EPERM: exec: git option '--output=.*' is refused: it writes files where it says$/),
      "EPERM: exec: git option '--no-index' is refused: it makes git compare files outside the repository",
      'EPERM: exec: git config is refused unless it only reads (--get, --get-all, ' +
        '--get-regexp, --list): a write can add an alias or hook that runs any program',
      expect.stringMatching(/^EPERM: exec: git argument '.*' is refused: git may only work inside the plugin's data folder/),
    ]);
    expect(readdirSync(target)).toEqual([]);
  });

  it('has every refusal in the audit trail, with the command line it asked for', async () => {
    await run('exec-git-injection', 'attack', [target]);
    expect(deniedTargets('exec-git-injection')).toEqual(
      expect.arrayContaining([`git -c alias.x=!touch ${target}/alias x`, `git diff --no-index /etc/hostname notes.txt`]),
    );
  });
});

describe('a plugin allowed to run env', () => {
  it('can run env itself, which prints only the minimal environment', async () => {
    expect(await run('exec-env-trampoline', 'control')).toMatch(/^PATH=/m);
  });

  it('cannot make env start another program', async () => {
    const outcomes = JSON.parse(await run('exec-env-trampoline', 'attack', [target])) as string[];
    expect(outcomes).toEqual([
      "EPERM: exec: env argument 'touch' is refused: env would run it as a program; list the program itself in exec.allowed_commands",
      "EPERM: exec: env argument 'touch' is refused: env would run it as a program; list the program itself in exec.allowed_commands",
      "EPERM: exec: env argument 'touch' is refused: env would run it as a program; list the program itself in exec.allowed_commands",
      "EPERM: exec: env option '-S' is refused: its value is a command line env runs",
      expect.stringMatching(/^EPERM: exec: env option '--split-string=touch .*' is refused: its value is a command line env runs$/),
      "EPERM: exec: env argument '/usr/bin/touch' is refused: env would run it as a program; list the program itself in exec.allowed_commands",
    ]);
    expect(readdirSync(target)).toEqual([]);
    expect(deniedTargets('exec-env-trampoline')).toContain(`env touch ${target}/env`);
  });
});

describe('a plugin that pinned git to argument prefixes', () => {
  it('runs a pinned prefix, and is refused anything else, including injections after a pinned prefix', async () => {
    const outcomes = JSON.parse(await run('exec-pinned-git', 'attack', [target])) as string[];
    expect(outcomes).toEqual([
      "EPERM: exec: 'git status' is refused: exec.allowed_commands pins git to arguments starting with --version | log",
      expect.stringMatching(/^EPERM: exec: 'git -c alias\.log=!touch .* log' is refused: exec.allowed_commands pins git/),
      expect.stringMatching(/^EPERM: exec: git option '--output=.*' is refused: it writes files where it says$/),
      expect.stringMatching(/^ran: exit 0: git version /),
    ]);
    expect(readdirSync(target)).toEqual([]);
  });
});
