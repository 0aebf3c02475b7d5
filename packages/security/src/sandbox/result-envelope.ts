// What a guest's answer may be, checked in the worker before anything else reads it. The guest
// prelude tags each answer (see guest/prelude.ts); the text after the tag is the plugin's and is
// trusted for nothing until it has been parsed here: it must be JSON, nested no deeper than
// MAX_RESULT_DEPTH, so that the text the worker splices into its reply can never make the host's
// parse fail and nothing that walks the value on the host can run out of stack.
import type { SandboxErrorCode } from '../errors';
import { MAX_STACK_CHARS, readGuestStack } from './guest-stack';
import { cutMessage } from './message-cut';

/** How deeply a result may nest arrays and objects (a HookResult with a task needs four). */
export const MAX_RESULT_DEPTH = 64;

/** The only codes a guest's answer may carry; anything else is a malformed answer. */
const GUEST_ERROR_CODES: ReadonlySet<string> = new Set(['BAD_RESULT', 'HANDLER_FAILED', 'NO_SUCH_HANDLER']);

/** An error answer's first line after the tag: its code, and the length of the stack before the message. */
const ERROR_HEADER = /^([A-Z_]+)(?: ([1-9]\d{0,3}))?$/;

export type Envelope =
  | { kind: 'nothing' }
  | { kind: 'value'; json: string }
  | {
      kind: 'error';
      code: Extract<SandboxErrorCode, 'BAD_RESULT' | 'HANDLER_FAILED' | 'NO_SUCH_HANDLER'>;
      message: string;
      /** The plugin's frames where it threw (guest-stack.ts), when it threw an Error that had any. */
      stack?: string;
    }
  /** Not an answer the prelude writes: the call fails with BAD_RESULT, saying why. */
  | { kind: 'malformed'; message: string };

/**
 * Whether JSON text nests arrays and objects deeper than `max`. A linear scan of the text (brackets
 * inside strings do not count), so the check itself cannot recurse.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  // Each level takes at least one character.
  if (text.length <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}

/** Checks that `json` is one JSON value of bounded depth; a reason when it is not. */
export function checkGuestJson(json: string): string | undefined {
  if (nestsDeeperThan(json, MAX_RESULT_DEPTH)) return `returned data nested more than ${MAX_RESULT_DEPTH} levels deep`;
  try {
    JSON.parse(json);
  } catch {
    return 'returned text that is not JSON data';
  }
  return undefined;
}

/** Reads a tagged answer of the guest prelude. */
export function readEnvelope(text: unknown): Envelope {
  if (typeof text !== 'string' || text.length === 0) return { kind: 'malformed', message: 'answered something that is not a result' };
  const tag = text.charCodeAt(0);
  if (tag === 0x55 /* U */ && text.length === 1) return { kind: 'nothing' };
  if (tag === 0x56 /* V */) {
    const json = text.slice(1);
    const problem = checkGuestJson(json);
    return problem === undefined ? { kind: 'value', json } : { kind: 'malformed', message: problem };
  }
  if (tag === 0x45 /* E */) {
    // 'E' + code + '\n' + message, or 'E' + code + ' ' + n + '\n' + n characters of stack + message.
    const newline = text.indexOf('\n');
    const header = ERROR_HEADER.exec(newline < 0 ? '' : text.slice(1, newline));
    const stackChars = header?.[2] === undefined ? 0 : Number(header[2]);
    if (header === null || !GUEST_ERROR_CODES.has(header[1]!) || stackChars > MAX_STACK_CHARS || newline + 1 + stackChars > text.length) {
      return { kind: 'malformed', message: 'answered an error the sandbox does not know' };
    }
    const message = text.slice(newline + 1 + stackChars);
    const stack = stackChars === 0 ? undefined : readGuestStack(text.slice(newline + 1, newline + 1 + stackChars));
    return {
      kind: 'error',
      code: header[1] as 'BAD_RESULT' | 'HANDLER_FAILED' | 'NO_SUCH_HANDLER',
      message: cutMessage(message),
      ...(stack === undefined ? {} : { stack }),
    };
  }
  return { kind: 'malformed', message: 'answered something that is not a result' };
}

/** Most hooks and commands one plugin may describe at load (the manifest caps what it declares). */
const MAX_DESCRIBED_NAMES = 10_000;

/** The names a plugin's code implements, as its register() described them; undefined when malformed. */
export function readDescription(text: string): { hooks: string[]; commands: string[] } | undefined {
  let value: unknown;
  try {
    if (nestsDeeperThan(text, 2)) return undefined;
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { hooks, commands } = value as { hooks?: unknown; commands?: unknown };
  const names = (list: unknown): list is string[] =>
    Array.isArray(list) && list.length <= MAX_DESCRIBED_NAMES && list.every((name) => typeof name === 'string' && name.length <= 256);
  return names(hooks) && names(commands) ? { hooks: [...hooks], commands: [...commands] } : undefined;
}
