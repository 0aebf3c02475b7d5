// Issue 13, part 10: the consent prompt listed `exec: git` as if it were a narrow grant, while an
// unpinned git (like env, sh, python, …) lets a plugin run any program. The prompt now says so
// plainly for each such command, and shows pinned commands with their prefixes.
import { parseManifest } from '@marathon/manifest';
import { consentSummary } from '@marathon/security';

function summaryOf(allowed_commands: unknown[], extra: string[] = []) {
  return consentSummary(
    parseManifest({
      name: 'tool',
      version: '1.0.0',
      api_version: '1.0.0',
      permissions: ['exec', ...extra],
      exec: { allowed_commands },
    }),
  );
}

describe('the consent prompt says when an allowed command amounts to a shell', () => {
  it('for an unpinned git', () => {
    expect(summaryOf(['git']).lines).toEqual([
      'tool 1.0.0 asks for:',
      '  - exec — Run the system commands it lists: git',
      '  ⚠️  exec: git (unpinned: git can run any program through its config — this amounts to a shell)',
    ]);
  });

  it('for trampolines and interpreters, pinned or not', () => {
    const summary = summaryOf(['env', '/usr/bin/python3', { command: 'xargs', args: [['-0']] }, 'sh']);
    expect(summary.shellCommands).toEqual([
      { command: 'env', reason: 'env runs any program named in its arguments' },
      { command: '/usr/bin/python3', reason: 'python runs any code in its arguments, its input or a script file' },
      { command: 'xargs (only: -0)', reason: 'xargs runs any program named in its arguments' },
      { command: 'sh', reason: 'sh is a shell: it runs any command in its arguments, its input or a script' },
    ]);
    expect(summary.lines).toContain('  ⚠️  exec: env (env runs any program named in its arguments — this amounts to a shell)');
  });

  it('not for a pinned git, which it shows with its prefixes', () => {
    const summary = summaryOf([{ command: 'git', args: [['status'], ['log', '--oneline']] }, 'jq']);
    expect(summary.shellCommands).toEqual([]);
    expect(summary.lines).toEqual([
      'tool 1.0.0 asks for:',
      '  - exec — Run the system commands it lists: git (only: status | log --oneline), jq',
    ]);
    expect(summary.items[0]?.scope).toEqual(['git (only: status | log --oneline)', 'jq']);
  });

  it('for a pinned git when the plugin can also write the folder git reads its config and hooks from', () => {
    const summary = summaryOf([{ command: 'git', args: [['status']] }], ['filesystem']);
    expect(summary.lines).toContain(
      '  ⚠️  exec: git (only: status) (pinned, but it obeys the .git config and hooks ' +
        'in its working folder, which this plugin can write — this amounts to a shell)',
    );
  });

  it('for a pin that runs package scripts by design', () => {
    expect(summaryOf([{ command: 'npm', args: [['view'], ['install']] }]).shellCommands).toEqual([
      {
        command: 'npm (only: view | install)',
        reason: "pinned to 'install', but npm runs package scripts and any package's code (install, run, exec)",
      },
    ]);
  });

  it('says nothing of commands it does not know to be shells', () => {
    expect(summaryOf(['jq', 'convert']).shellCommands).toEqual([]);
  });
});
