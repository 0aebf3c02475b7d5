// console in the sandbox: each call writes one line to the plugin's log (the same channel as
// ctx.log, so the same rate limit and cut apply) at the matching level. Arguments are formatted
// like Node's console (printf-style %s %d %i %f %j %o %O %c %% in a first string argument), within
// a budget of characters that also bounds the work.
import type { GuestHost, GuestLogLevel } from './guest-host';
import { Budget, inspect } from './inspect';

/** Characters of one console line kept; the host cuts at the same length (host-calls.ts). */
export const MAX_CONSOLE_CHARS = 4096;

/**
 * The console a plugin sees. Plugin authors compile against @marathon/plugin-api/globals' global
 * SandboxConsole; this is the same shape, written again because that file only declares globals
 * (nothing to import) and including it here would redeclare Node's `console`. Change both together.
 */
export interface SandboxConsole {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  trace(...args: unknown[]): void;
  dir(value?: unknown): void;
  assert(condition?: unknown, ...args: unknown[]): void;
}

function substitute(format: string, args: unknown[], budget: Budget): { text: string; used: number } {
  let used = 0;
  // Every substitution is charged to the budget; the format's own text is at most twice the cap.
  const text = format.replace(/%[sdifjoOc%]/g, (token) =>
    token === '%%' || used >= args.length ? token.replace('%%', '%') : budget.take(convert(token, args[used++], budget)),
  );
  return { text, used };
}

function convert(token: string, arg: unknown, budget: Budget): string {
  switch (token) {
    case '%s':
      return typeof arg === 'string' ? arg : inspect(arg, new Budget(budget.left));
    case '%d':
    case '%i': {
      if (typeof arg === 'bigint') return `${String(arg)}n`;
      const number = typeof arg === 'symbol' ? NaN : Number(arg);
      return String(token === '%i' ? Math.trunc(number) : number);
    }
    case '%f':
      return String(typeof arg === 'symbol' ? NaN : parseFloat(String(arg)));
    case '%j':
      // JSON of a huge value is built whole before it is cut: %j is for small values.
      try {
        return JSON.stringify(arg) ?? 'undefined';
      } catch {
        return '[Circular]';
      }
    case '%c':
      return '';
    default:
      return inspect(arg, new Budget(budget.left));
  }
}

/** The arguments of one console call as one line of at most MAX_CONSOLE_CHARS (+ an ellipsis). */
export function formatLine(args: unknown[]): string {
  const budget = new Budget(MAX_CONSOLE_CHARS);
  const parts: string[] = [];
  let rest = args;
  if (typeof args[0] === 'string' && args[0].includes('%')) {
    const { text, used } = substitute(
      args[0].length > MAX_CONSOLE_CHARS * 2 ? args[0].slice(0, MAX_CONSOLE_CHARS * 2) : args[0],
      args.slice(1),
      budget,
    );
    parts.push(text);
    rest = args.slice(1 + used);
  } else if (args.length > 0) {
    parts.push(inspect(args[0], budget));
    rest = args.slice(1);
  }
  for (const arg of rest) {
    if (budget.spent) break;
    budget.take(' ');
    parts.push(inspect(arg, budget));
  }
  const line = parts.join(' ');
  return budget.spent || line.length > MAX_CONSOLE_CHARS ? `${line.slice(0, MAX_CONSOLE_CHARS)}…` : line;
}

export function createConsole(host: GuestHost): SandboxConsole {
  const write = (level: GuestLogLevel) =>
    function (...args: unknown[]): void {
      host.log(level, formatLine(args));
    };
  return {
    log: write('info'),
    info: write('info'),
    debug: write('debug'),
    warn: write('warn'),
    error: write('error'),
    trace(...args: unknown[]) {
      host.log('debug', `Trace: ${formatLine(args)}`);
    },
    dir(value?: unknown) {
      host.log('info', formatLine([value]));
    },
    assert(condition?: unknown, ...args: unknown[]) {
      if (!condition) host.log('error', args.length === 0 ? 'Assertion failed' : `Assertion failed: ${formatLine(args)}`);
    },
  };
}
