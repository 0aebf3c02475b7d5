// The standard globals of Marathon's plugin sandbox, for plugins compiled without Node's or the
// DOM's types (the scaffold's tsconfig has `"lib": ["es2022"], "types": []`). Add them with
// `"types": ["@marathon/plugin-api/globals"]` in tsconfig.json, or with
// `/// <reference types="@marathon/plugin-api/globals" />` at the top of a file.
// What each does, and what the sandbox does not have: docs/sandbox-globals.md.

/**
 * Writes one line to the plugin's log (ctx.log's channel: tagged, rate-limited, cut at 4096 characters).
 * The sandbox implements it in @marathon/security (src/sandbox/guest/console.ts), whose own
 * SandboxConsole must stay this shape: this file declares globals and exports nothing, and the
 * sandbox is compiled with Node's types, whose `console` these globals would redeclare — so neither
 * can be derived from the other.
 */
interface SandboxConsole {
  /** Level info. The first argument may hold %s %d %i %f %j %o %O %c. */
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  debug(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  /** Level debug, prefixed 'Trace: ' (no stack). */
  trace(...data: unknown[]): void;
  dir(value?: unknown): void;
  /** Level error, only when `condition` is falsy. */
  assert(condition?: unknown, ...data: unknown[]): void;
}
declare var console: SandboxConsole;

/**
 * Runs `callback` after `delay` ms — only while the call that set it is running: a call does not
 * wait for its timers, and one still pending when the call ends never runs. At most 1000 pending.
 */
declare function setTimeout<A extends unknown[]>(callback: (...args: A) => void, delay?: number, ...args: A): number;
declare function clearTimeout(id: number | undefined): void;
declare function setInterval<A extends unknown[]>(callback: (...args: A) => void, delay?: number, ...args: A): number;
declare function clearInterval(id: number | undefined): void;
declare function queueMicrotask(callback: () => void): void;

declare class URLSearchParams implements Iterable<[string, string]> {
  constructor(init?: string | URLSearchParams | Record<string, string> | Iterable<readonly [string, string]>);
  readonly size: number;
  append(name: string, value: string): void;
  delete(name: string, value?: string): void;
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string, value?: string): boolean;
  set(name: string, value: string): void;
  sort(): void;
  forEach(callback: (value: string, name: string, params: URLSearchParams) => void, thisArg?: unknown): void;
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
  toString(): string;
}

declare class URL {
  constructor(url: string | URL, base?: string | URL);
  static canParse(url: string | URL, base?: string | URL): boolean;
  static parse(url: string | URL, base?: string | URL): URL | null;
  href: string;
  readonly origin: string;
  protocol: string;
  username: string;
  password: string;
  host: string;
  hostname: string;
  port: string;
  pathname: string;
  search: string;
  readonly searchParams: URLSearchParams;
  hash: string;
  toString(): string;
  toJSON(): string;
}

/** UTF-8 only. */
declare class TextEncoder {
  readonly encoding: 'utf-8';
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}

/** UTF-8 only: another label throws a RangeError. */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: 'utf-8';
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  decode(input?: ArrayBuffer | ArrayBufferView, options?: { stream?: boolean }): string;
}

declare function atob(data: string): string;
declare function btoa(data: string): string;

/** Copies data (no functions, symbols or transfer): throws a DOMException named DataCloneError otherwise. */
declare function structuredClone<T>(value: T, options?: { transfer?: never[] }): T;

declare class DOMException extends Error {
  constructor(message?: string, name?: string);
  readonly code: number;
}

/** Randomness from the host's CSPRNG. No `subtle`: for HMAC and hashes, use ctx.crypto. */
interface SandboxWebCrypto {
  /** At most 65,536 bytes per call (a QuotaExceededError beyond); integer typed arrays only. */
  getRandomValues<
    T extends
      Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array,
  >(
    array: T,
  ): T;
  randomUUID(): `${string}-${string}-${string}-${string}-${string}`;
}
declare var crypto: SandboxWebCrypto;
