// ctx.exec: runs a command from the manifest's exec.allowed_commands with an argv array and no
// shell, in the plugin's data folder, with a minimal environment. Output is capped and the process
// is killed when it runs past its time. A pinned command runs only with arguments starting with one
// of its prefixes, and argument forms known to make a command run another program (git -c, env <cmd>)
// are refused whether pinned or not (command-risks.ts).
import { spawn } from 'node:child_process';
import { isAbsolute, resolve } from 'node:path';
import type { JsonValue } from '@marathon/plugin-api';
import { CapabilityError } from './capability-error';
import { matchExecStub } from './capability-stubs';
import { argumentRefusal } from './command-risks';
import { pinnedPrefixes, startsWithAPrefix } from './exec-pins';
import { isInside } from './path-inside';
import type { PluginScope } from './plugin-scope';

export const MAX_EXEC_OUTPUT_BYTES = 1024 * 1024;
export const MAX_EXEC_MS = 30_000;

interface ExecOptions {
  cwd: string;
  input: string | undefined;
  timeoutMs: number;
}

function readOptions(scope: PluginScope, raw: unknown): ExecOptions {
  const options = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  let cwd = scope.spec.dataDir;
  if (options.cwd !== undefined) {
    if (typeof options.cwd !== 'string' || isAbsolute(options.cwd) || options.cwd.includes('\0')) {
      throw new CapabilityError('EINVAL', "exec: cwd must be a path relative to the plugin's data folder");
    }
    cwd = resolve(scope.spec.dataDir, options.cwd);
    if (!isInside(scope.spec.dataDir, cwd))
      throw new CapabilityError('EPERM', `exec: cwd '${options.cwd}' is outside the plugin's data folder`);
  }
  if (options.input !== undefined && typeof options.input !== 'string') throw new CapabilityError('EINVAL', 'exec: input must be a string');
  const wanted = typeof options.timeout_ms === 'number' && options.timeout_ms > 0 ? options.timeout_ms : MAX_EXEC_MS;
  return { cwd, input: options.input as string | undefined, timeoutMs: Math.max(1, Math.min(wanted, MAX_EXEC_MS, scope.remainingMs())) };
}

/** A command line in one line, for messages and the audit trail. */
function commandLine(command: string, argv: readonly string[]): string {
  return [command, ...argv].join(' ').slice(0, 200);
}

/** Refuses (and audits) arguments outside the command's pins, and known ways to run another program. */
function checkArguments(scope: PluginScope, command: string, argv: readonly string[]): void {
  const prefixes = pinnedPrefixes(scope.spec.execPins, command);
  if (prefixes !== undefined && !startsWithAPrefix(prefixes, argv)) {
    const allowed = prefixes.map((prefix) => prefix.join(' ')).join(' | ');
    throw scope.deny(
      'exec',
      commandLine(command, argv),
      'EPERM',
      `exec: '${commandLine(command, argv)}' is refused: exec.allowed_commands pins ${command} to arguments starting with ${allowed}`,
    );
  }
  const refusal = argumentRefusal(command, argv);
  if (refusal !== undefined) throw scope.deny('exec', commandLine(command, argv), 'EPERM', `exec: ${command} ${refusal}`);
}

export async function execCommand(scope: PluginScope, args: readonly unknown[]): Promise<JsonValue> {
  const [command, argv = [], rawOptions] = args;
  const shown = typeof command === 'string' ? command : String(command);
  scope.require('exec', 'exec', shown);
  if (typeof command !== 'string' || !scope.spec.allowedCommands.includes(command)) {
    throw scope.deny('exec', shown, 'EPERM', `exec: '${shown}' is not in exec.allowed_commands`);
  }
  if (!Array.isArray(argv) || !argv.every((arg): arg is string => typeof arg === 'string' && !arg.includes('\0'))) {
    throw scope.deny('exec', shown, 'EINVAL', 'exec: arguments must be an array of strings');
  }
  checkArguments(scope, command, argv);
  const options = readOptions(scope, rawOptions);
  const stubs = scope.spec.stubs?.exec;
  if (stubs !== undefined) {
    // A test's stub: every check above ran; nothing is started.
    const stub = matchExecStub(stubs, command, argv);
    if (stub === undefined)
      throw new CapabilityError('ENOSTUB', `exec: the test stubs no result for '${[command, ...argv].join(' ').slice(0, 200)}'`);
    scope.audit('exec', commandLine(command, argv), true, 'stubbed');
    return {
      exit_code: stub.result.exit_code ?? 0,
      signal: null,
      stdout: stub.result.stdout ?? '',
      stderr: stub.result.stderr ?? '',
      timed_out: false,
      truncated: false,
    };
  }
  scope.audit('exec', commandLine(command, argv), true);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, argv, {
      cwd: options.cwd,
      shell: false,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const output = { stdout: [] as Buffer[], stderr: [] as Buffer[], size: 0, truncated: false };
    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const room = MAX_EXEC_OUTPUT_BYTES - output.size;
      if (room <= 0) {
        output.truncated = true;
        return;
      }
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      if (kept.length < chunk.length) output.truncated = true;
      output[stream].push(kept);
      output.size += kept.length;
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new CapabilityError(error.code ?? 'EIO', `exec: could not start '${command}' (${error.code ?? 'error'})`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        exit_code: code,
        signal,
        stdout: Buffer.concat(output.stdout).toString('utf8'),
        stderr: Buffer.concat(output.stderr).toString('utf8'),
        timed_out: timedOut,
        truncated: output.truncated,
      });
    });
    child.stdin.on('error', () => {
      // The command may exit without reading its input.
    });
    child.stdin.end(options.input);
  });
}
