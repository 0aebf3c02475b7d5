import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import { Flags } from '@oclif/core';
import type { BisectAnswer, BisectRound, BisectStep, BisectVerdict, PluginBisect as Bisect, PluginManager } from '@marathon/manager';
import { MarathonCommand } from '../../marathon-command';

const names = (list: readonly string[]) => list.map((name) => `'${name}'`).join(', ');

function roundLine({ round, enabled, disabled }: BisectRound): string {
  if (round === 1) return `🔎 Round 1: every plugin disabled (${disabled.length}) — is it Marathon itself?`;
  return `🔎 Round ${round}: enabled ${names(enabled)}; disabled ${disabled.length === 0 ? 'none' : names(disabled)}`;
}

function verdictLine(verdict: BisectVerdict): string {
  switch (verdict.kind) {
    case 'marathon':
      return '🎯 Still bad with every plugin disabled: it is Marathon itself (or something outside its plugins)';
    case 'none':
      return '🎯 No single plugin causes it: it was never bad, whatever was enabled';
    case 'culprit':
      return verdict.with.length === 0
        ? `🎯 The culprit is '${verdict.plugin}'`
        : `🎯 The culprit is '${verdict.plugin}' (enabled with ${names(verdict.with)}, which it needs)`;
  }
}

export default class PluginBisectCommand extends MarathonCommand {
  static override id = 'plugin:bisect';
  static override summary = 'Find the enabled plugin that causes a problem, halving the enabled plugins each round.';
  static override description = [
    'Round 1 disables every plugin: still bad means it is Marathon itself. Then each round enables half of the plugins left in question,',
    'always with the plugins they need, until one remains. With --run, a command answers each round (exit 0 is good); otherwise you answer on the terminal.',
    'The plugins enabled before are enabled again at the end, after Ctrl-C, and, if the process dies, by the next marathon command.',
  ].join('\n');
  static override enableJsonFlag = true;
  static override examples = [
    '<%= config.bin %> plugin bisect',
    '<%= config.bin %> plugin bisect --run "marathon task run -- make test" --yes',
  ];
  static override flags = {
    run: Flags.string({ description: 'A shell command that tells each round: exit 0 is good, anything else bad.' }),
    yes: Flags.boolean({ description: 'Start without asking (bisect disables your plugins until it ends).' }),
  };

  private interrupted = false;

  async run() {
    const { flags } = await this.parse(PluginBisectCommand);
    const { BisectError, PluginBisect } = await import('@marathon/manager');
    if (flags.run === undefined && process.stdin.isTTY !== true) {
      throw new BisectError(
        'BISECT_NEEDS_ANSWERS',
        'bisect asks "good or bad?" after each round and there is no terminal to ask on: give --run "<command>" to answer by its exit code',
      );
    }
    const manager = await this.manager();
    const count = (await manager.list({ status: 'enabled' })).length;
    if (count > 0 && flags.yes !== true) {
      const lines = [
        `Bisect disables your ${count} enabled plugin${count === 1 ? '' : 's'} and enables them a half at a time; it restores them at the end.`,
      ];
      if (!(await this.confirm(lines, 'Start the bisect?'))) {
        throw new BisectError('BISECT_NOT_CONFIRMED', 'the bisect was not started: answer yes on a terminal, or give --yes');
      }
    }
    // Ctrl-C reaches the --run command too (same process group); the round in flight ends, then the restore below runs.
    const onInterrupt = () => {
      if (!this.interrupted) this.sayError('⏸  Interrupted: putting your plugins back as they were…');
      this.interrupted = true;
    };
    process.on('SIGINT', onInterrupt);
    let bisect: Bisect | undefined;
    try {
      bisect = await PluginBisect.start(manager);
      let step: BisectStep = { done: false, round: bisect.current() };
      while (!step.done && !this.interrupted) {
        this.say(roundLine(step.round));
        const answer = await this.answer(manager, flags.run);
        if (answer === undefined || this.interrupted) break;
        this.say(`   → ${answer}`);
        step = await bisect.next(answer);
      }
      const restored = await bisect.restore();
      bisect = undefined;
      const line = `✅ Restored ${restored.enabled.length} plugin${restored.enabled.length === 1 ? '' : 's'} to how they were`;
      if (!step.done) {
        this.sayError(`${line}; the bisect was interrupted before a verdict`);
        process.exitCode = 130;
        return { culprit: null, verdict: 'interrupted', rounds: step.round.round, restored: restored.enabled.length };
      }
      this.say(verdictLine(step.verdict));
      this.say(line);
      const culprit = step.verdict.kind === 'culprit' ? step.verdict.plugin : null;
      return { culprit, verdict: step.verdict.kind, rounds: step.rounds, restored: restored.enabled.length };
    } finally {
      // A failure mid-way (a plugin that would not load) still puts everything back.
      if (bisect !== undefined) await bisect.restore();
      process.off('SIGINT', onInterrupt);
    }
  }

  /** The answer for the round now applied: the --run command's exit code, or the operator's word; undefined when interrupted. */
  private async answer(manager: PluginManager, command: string | undefined): Promise<BisectAnswer | undefined> {
    if (command !== undefined) {
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(command, {
          shell: true,
          // Its output on stderr with --json, so stdout stays one JSON document.
          stdio: ['inherit', this.jsonEnabled() ? 'pipe' : 'inherit', 'inherit'],
          env: { ...process.env, MARATHON_HOME: manager.home.root },
        });
        child.stdout?.pipe(process.stderr);
        child.once('error', reject);
        child.once('close', (exit) => resolve(exit));
      });
      return code === 0 ? 'good' : 'bad';
    }
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const interrupted = new Promise<undefined>((resolve) =>
        prompt.once('SIGINT', () => {
          this.interrupted = true;
          resolve(undefined);
        }),
      );
      for (;;) {
        const reply = await Promise.race([prompt.question('Is the problem there? good or bad? '), interrupted]);
        if (reply === undefined) return undefined;
        const word = reply.trim().toLowerCase();
        if (word === 'good' || word === 'g') return 'good';
        if (word === 'bad' || word === 'b') return 'bad';
        this.sayError("Answer 'good' (the problem is gone) or 'bad' (it is still there).");
      }
    } finally {
      prompt.close();
    }
  }
}
