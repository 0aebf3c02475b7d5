// Runs the `console` blocks of a Markdown file as a shell session would, command by command,
// against the real marathon binary, and checks that each command prints what the file shows
// after it (`…` stands for anything, spaces are collapsed) and fails exactly when the file shows
// a `❌` line. Only plain commands: `cd`, `marathon …` and programs on the PATH, no shell syntax.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { outputMatches, shellWords, type CodeBlock } from './doc-blocks';
import { marathonBin } from './workspace';

export interface ConsoleSession {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A session in a new temporary folder, with MARATHON_HOME and HOME inside it. */
export function newSession(prefix = 'marathon-session-'): ConsoleSession {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return {
    cwd: root,
    env: {
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
      HOME: root,
      MARATHON_HOME: join(root, 'marathon-home'),
      NO_COLOR: '1',
      npm_config_update_notifier: 'false',
    },
  };
}

export interface CommandOutcome {
  status: number | null;
  output: string;
}

// Every command runs for real: `npm install` included (a session that needs packages points npm at a
// registry through its env, see doc-registry.ts) — a stand-in here would hide what users hit.
function run(session: ConsoleSession, words: string[]): CommandOutcome {
  const [command, ...args] = words;
  if (command === 'cd') {
    session.cwd = resolve(session.cwd, args[0] ?? '.');
    return { status: 0, output: '' };
  }
  const [file, argv] = command === 'marathon' ? [process.execPath, [marathonBin, ...args]] : [command!, args];
  const outcome = spawnSync(file, argv, { cwd: session.cwd, env: session.env, encoding: 'utf8', timeout: 120_000 });
  return { status: outcome.status, output: `${outcome.stdout ?? ''}${outcome.stderr ?? ''}${outcome.error?.message ?? ''}` };
}

/** Runs one console block in `session`; throws naming the file and line of the first mismatch. */
export function runConsoleBlock(file: string, block: CodeBlock, session: ConsoleSession): void {
  const lines = block.body.trimEnd().split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('$ ')) throw new Error(`${file}:${block.line + 1 + i}: output without a command before it: ${line}`);
    const expected: string[] = [];
    while (i + 1 < lines.length && !lines[i + 1]!.startsWith('$ ')) expected.push(lines[++i]!);
    const { status, output } = run(session, shellWords(line.slice(2)));
    const where = `${file}:${block.line + 1 + i - expected.length}: ${line}`;
    const refused = expected.some((text) => text.startsWith('❌'));
    if (refused ? status === 0 : status !== 0)
      throw new Error(`${where}\nexited ${status}, the file says it ${refused ? 'fails' : 'succeeds'}:\n${output}`);
    const actual = output.split('\n');
    for (const text of expected.filter((entry) => entry.trim() !== '')) {
      if (!actual.some((candidate) => outputMatches(text, candidate)))
        throw new Error(`${where}\nthe file shows '${text}', the command printed:\n${output}`);
    }
  }
}
