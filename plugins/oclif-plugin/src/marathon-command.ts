// The base of every marathon command (MARATHON_HOME, default ~/.marathon, says where state lives): one way to open the manager, to report errors (a line on
// stderr that says what to do next, or JSON with --json; a stack trace only with DEBUG — for a
// plugin's failure, the plugin's own frames, see plugin-stack.ts), to ask
// for consent, and to show progress without corrupting piped or --json output. Everything it prints
// for humans goes through terminalText: much of it is a plugin's text (see terminal-text.ts).
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Command, Flags, ux } from '@oclif/core';
import type { PluginManager, PluginManagerOptions } from '@marathon/manager';
import type * as RegistryModule from '@marathon/registry';
import type { NpmRegistryClient } from '@marathon/registry';
import type * as PrewarmModule from '@marathon/security/prewarm';
import type { ConsentSummary } from '@marathon/security/trust';
import { MarathonError } from '@marathon/plugin-api';
import { builtInPluginFolders } from './built-in-plugins';
import { errorKind, unexpectedErrorLine } from './error-kind';
import { stateSnapshot } from './marathon-state';
import { debugEnabled, pluginStackLines, pluginStackOf } from './plugin-stack';
import { terminalJson, terminalText } from './terminal-text';

/** Names oclif CLIs commonly give their own commands, reserved even when this CLI lacks them. */
const WELL_KNOWN_NAMES: readonly string[] = ['plugin', 'plugins', 'help', 'commands', 'version', 'autocomplete', 'update'];

/** --registry, for the commands that fetch from an npm registry. */
export const registryFlag = Flags.string({
  description: 'npm registry URL (default: $MARATHON_REGISTRY, then your .npmrc, then registry.npmjs.org).',
  helpGroup: 'REGISTRY',
});

/** The manager's consent callbacks, as install, update, repair and dev pass them. */
export interface ConsentPrompts {
  confirm?: (summary: ConsentSummary) => Promise<boolean>;
  confirmTrustChange?: (lines: readonly string[]) => Promise<boolean>;
}

export abstract class MarathonCommand extends Command {
  private managerInstance: PluginManager | undefined;

  /** The npm registry for this command (its --registry flag), when it talks to one. */
  protected registry: string | undefined;

  private npmInstance: NpmRegistryClient | undefined;

  /** The npm registry client (pacote loads only when it is used; building it reads .npmrc files). */
  protected npm(): NpmRegistryClient {
    if (this.npmInstance === undefined) {
      const { NpmRegistryClient, marathonHome } = require('@marathon/registry') as typeof RegistryModule;
      this.npmInstance = new NpmRegistryClient({
        ...(this.registry === undefined ? {} : { registry: this.registry }),
        cacheDir: join(marathonHome().root, 'cache', 'npm'),
      });
    }
    return this.npmInstance;
  }

  /** Options every manager of this CLI is opened with. */
  protected managerOptions(): PluginManagerOptions {
    return {
      npm: this.npm(),
      builtInPlugins: builtInPluginFolders(),
      reservedNames: this.reservedNames(),
      onWait: (message) => this.sayError(message),
    };
  }

  /**
   * Names a plugin may not take, because `marathon <name> <command>` would then collide with the
   * CLI's own commands and topics (oclif would let one silently override the other): the first
   * word of every command this CLI has that is not a Marathon plugin's.
   */
  protected reservedNames(): string[] {
    const pluginCommandIds = new Set(stateSnapshot().commands.map((entry) => `${entry.plugin}:${entry.command}`));
    const names = new Set(WELL_KNOWN_NAMES);
    for (const command of this.config.commands) {
      if (pluginCommandIds.has(command.id)) continue;
      for (const id of [command.id, ...command.aliases]) names.add(id.split(':')[0] ?? id);
    }
    return [...names].sort();
  }

  /**
   * Starts a sandbox worker thread now, for a command about to run plugin code: it boots on the
   * other core while this one loads the manager.
   */
  protected prewarmSandbox(): void {
    (require('@marathon/security/prewarm') as typeof PrewarmModule).prewarmSandboxWorker();
  }

  /** The manager, opened on first use (its modules load only then, to keep start-up fast). */
  protected async manager(): Promise<PluginManager> {
    if (this.managerInstance === undefined) {
      const { PluginManager } = await import('@marathon/manager');
      this.managerInstance = await PluginManager.open(this.managerOptions());
    }
    return this.managerInstance;
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    await this.managerInstance?.close().catch(() => undefined);
    return super.finally(error);
  }

  /**
   * Prints a line to stdout (nothing with --json, whose output is the returned value), control
   * characters neutralised. Line breaks are kept (a plugin command's output is multi-line); a
   * field that must stay on its line is passed through terminalText by the caller first.
   */
  protected say(line: string): void {
    if (!this.jsonEnabled()) this.log(terminalText(line, { multiline: true }));
  }

  /** Prints a line to stderr (a warning, a failure), control characters neutralised. */
  protected sayError(line: string): void {
    process.stderr.write(`${terminalText(line, { multiline: true })}\n`);
  }

  /**
   * --json output, with the characters JSON.stringify leaves raw but a terminal acts on (C1
   * controls, bidi overrides) written as \u escapes: the same JSON value, safe on a terminal.
   */
  override logJson(json: unknown): void {
    let text: string;
    try {
      text = JSON.stringify(json, null, 2);
    } catch {
      return super.logJson(json); // a cycle: oclif's serializer copes with those
    }
    process.stdout.write(`${terminalJson(text)}\n`);
  }

  /** A spinner on stderr, only when stderr is a terminal and not with --json. */
  protected async withProgress<T>(label: string, work: () => Promise<T>): Promise<T> {
    const show = process.stderr.isTTY === true && !this.jsonEnabled() && process.env.CI === undefined;
    if (!show) return work();
    ux.action.start(label);
    try {
      const result = await work();
      ux.action.stop();
      return result;
    } catch (error) {
      ux.action.stop('failed');
      throw error;
    }
  }

  /** Asks a yes/no question on the terminal; false when there is none. */
  protected async confirm(lines: readonly string[], question: string): Promise<boolean> {
    if (process.stdin.isTTY !== true) return false;
    // A running spinner would draw over the question: pause it while the operator answers.
    return ux.action.pauseAsync(async () => {
      for (const line of lines) this.sayError(line);
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await prompt.question(`${question} [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        prompt.close();
      }
    });
  }

  /**
   * The manager's consent questions, asked on the terminal: `permissions` for what a plugin asks
   * for, `trustChange` for a change of source or a lower signature status. None without a
   * terminal: the manager then refuses, naming --yes or the --allow-… flag, rather than taking a
   * "no" nobody gave.
   */
  protected consentPrompts(questions: { permissions: string; trustChange?: string }): ConsentPrompts {
    if (process.stdin.isTTY !== true) return {};
    const { permissions, trustChange } = questions;
    return {
      confirm: (summary) => this.confirm(summary.lines, permissions),
      ...(trustChange === undefined ? {} : { confirmTrustChange: (lines: readonly string[]) => this.confirm(lines, trustChange) }),
    };
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    const sorted = errorKind(error);
    if (sorted.kind === 'unexpected') {
      // Node's own errors (ENOENT …) name a path or an argument but say nothing of what to do.
      const line = unexpectedErrorLine(sorted.error);
      if (this.jsonEnabled()) this.logJson({ error: { code: 'UNEXPECTED_ERROR', message: line, details: [] } });
      else {
        this.sayError(`❌ ${line}`);
        if (debugEnabled() && error.stack !== undefined) this.sayError(error.stack);
      }
      process.exitCode = 1;
      return undefined;
    }
    if (sorted.kind === 'oclif') {
      // oclif prints the message itself; many carry a plugin's text (what its code threw).
      if (!this.jsonEnabled()) {
        try {
          error.message = terminalText(error.message, { multiline: true });
        } catch {
          // A frozen error: nothing of ours makes one.
        }
      }
      return super.catch(error);
    }
    const operatorError = sorted.error;
    if (this.jsonEnabled()) {
      // The --json shape ({ code, message: its first line, details: the lines under it }) is the
      // base class's, the same for every kind of Marathon error.
      this.logJson({ error: MarathonError.toJSON(operatorError) });
    } else {
      this.sayError(`❌ ${MarathonError.format(operatorError)}`);
      if (debugEnabled()) {
        // A plugin's failure: where in the plugin's code it threw, not where the CLI reported it.
        const pluginStack = pluginStackOf(operatorError);
        if (pluginStack !== undefined) for (const line of pluginStackLines(pluginStack)) this.sayError(line);
        else if (operatorError.stack !== undefined) this.sayError(operatorError.stack);
      }
    }
    process.exitCode = 1;
    return undefined;
  }
}
