// Types shared by the guest modules: what the prelude (prelude.ts) hands them, and what the host
// and the prelude exchange (PreludeInfo, the host functions, GuestBridge). These modules
// run inside a plugin's QuickJS engine, not in Node: they are compiled with the package and their
// CommonJS output is loaded into the engine one module at a time, on first use of a global that
// needs it (guest-modules.ts on the host side, `load` in the prelude). Only type imports may cross
// between them and host code; value imports between guest modules become guest `require` calls.
import type { PluginConfig } from '@marathon/plugin-api';
import type * as InstallModule from './install';
import type * as ConsoleModule from './console';
import type * as InspectModule from './inspect';
import type * as TimersModule from './timers';
import type * as DomExceptionModule from './dom-exception';
import type * as Base64Module from './base64';
import type * as TextEncodingModule from './text-encoding';
import type * as StructuredCloneModule from './structured-clone';
import type * as WebCryptoModule from './web-crypto';
import type * as CtxCryptoModule from './ctx-crypto';
import type * as ByteSourceModule from './byte-source';
import type * as UrlModule from './url';
import type * as UrlParserModule from './url-parser';
import type * as UrlHostModule from './url-host';
import type * as UrlPercentModule from './url-percent';
import type * as UrlSearchParamsModule from './url-search-params';

export type GuestLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The host functions the guest globals are built on. Every one is bounded by the host. */
export interface GuestHost {
  /** One log line of the plugin's, at `level` (cut and rate-limited by the host like ctx.log). */
  log(level: GuestLogLevel, message: string): void;
  /** `length` (at most 65,536) bytes from the host's CSPRNG, as lowercase hex. */
  randomHex(length: number): string;
  /** A digest computed by the host: see ctx-crypto.ts for the arguments. */
  digest(request: DigestRequest): string;
  /**
   * Runs `callback` after `delay` ms (again every `delay` ms when `repeat`), only while a call of
   * the plugin is running; returns the timer's id. Throws a RangeError past the pending-timer cap.
   */
  setTimer(callback: () => unknown, delay: number, repeat: boolean): number;
  clearTimer(id: number): void;
}

/** Bytes crossing to the host: text as UTF-8, or base64 of raw bytes. */
export type DigestInput = string | { base64: string };

export interface DigestRequest {
  algorithm: string;
  data: DigestInput;
  /** With a key: an HMAC; without: a plain hash. */
  key?: DigestInput;
  encoding: string;
}

/** Every guest module by its file name, for a typed, lazy `load`. */
export interface GuestModules {
  install: typeof InstallModule;
  console: typeof ConsoleModule;
  inspect: typeof InspectModule;
  timers: typeof TimersModule;
  'dom-exception': typeof DomExceptionModule;
  base64: typeof Base64Module;
  'text-encoding': typeof TextEncodingModule;
  'structured-clone': typeof StructuredCloneModule;
  'web-crypto': typeof WebCryptoModule;
  'ctx-crypto': typeof CtxCryptoModule;
  'byte-source': typeof ByteSourceModule;
  url: typeof UrlModule;
  'url-parser': typeof UrlParserModule;
  'url-host': typeof UrlHostModule;
  'url-percent': typeof UrlPercentModule;
  'url-search-params': typeof UrlSearchParamsModule;
}

export type LoadModule = <K extends keyof GuestModules>(name: K) => GuestModules[K];

/** What the host tells the prelude about the plugin, as JSON text. */
export interface PreludeInfo {
  name: string;
  version: string;
  permissions: string[];
  /** Characters of JSON a value may take (the plugin's max_result_bytes). */
  maxChars: number;
  /** Characters of an error's stack sent to the host (guest-stack.ts reads no more). */
  maxStackChars: number;
  /** Characters of an error's message sent to the host (message-cut.ts). */
  maxMessageChars: number;
  /** ctx.config, before the prelude freezes it. */
  config: Record<string, PluginConfig[string]>;
}

/** A capability call (host-calls.ts): `argsJson` is a JSON array; the answer '{"value":…}' or '{"error":{"code","message"}}'. */
export type HostSync = (op: string, argsJson: string) => string;
/** The same for a capability that takes time: a promise of the same text. */
export type HostAsync = (op: string, argsJson: string) => Promise<string>;
/** A guest module's compiled text as a function of (exports, require) (guest-modules.ts). */
export type HostLoad = (name: string) => (exports: object, require: (specifier: string) => unknown) => void;

/** What the prelude gives the engine: the functions it calls, each a frozen property. */
export interface GuestBridge {
  /** Takes the main module's namespace; returns '{"hooks":[…],"commands":[…]}', or throws. */
  register(namespace: unknown): string;
  /**
   * Calls a handler: the tagged text of its result or its error at once for a synchronous
   * handler, else a promise (of the captured constructor) that settles with the handler's value
   * or error, for the host to pass to encode or encodeError. The target is 'hook:NAME',
   * 'command:NAME', 'init' or 'deinit'.
   */
  invoke(target: string, payload: string): string | Promise<unknown>;
  encode(value: unknown): string;
  encodeError(error: unknown): string;
}
