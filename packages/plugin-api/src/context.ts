import type { JsonValue } from './json';
import type { Permission } from './runtime';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, JsonValue>>;

/** Structured log, tagged with the plugin by the host and rate-limited. */
export interface PluginLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A small persistent key-value store of the plugin's own. Needs no permission. */
export interface PluginStorage {
  get(key: string): Promise<JsonValue | undefined>;
  set(key: string, value: JsonValue): Promise<void>;
  /** Resolves to whether the key existed. */
  delete(key: string): Promise<boolean>;
}

export interface FileStat {
  type: 'file' | 'directory' | 'other';
  size: number;
  /** Last modification, milliseconds since the epoch. */
  mtime_ms: number;
}

/**
 * Files inside the plugin's own data folder (`MARATHON_HOME/data/<plugin>/`); paths are relative to
 * it. Needs the filesystem permission; any path that resolves outside the folder is refused.
 */
export interface PluginFileSystem {
  read(path: string): Promise<string>;
  write(path: string, data: string): Promise<void>;
  append(path: string, data: string): Promise<void>;
  /** Names of the entries of a folder, sorted; the data folder itself when `path` is omitted. */
  list(path?: string): Promise<string[]>;
  stat(path: string): Promise<FileStat>;
  remove(path: string, options?: { recursive?: boolean }): Promise<void>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
}

export interface FetchInit {
  method?: string;
  headers?: Readonly<Record<string, string>>;
  body?: string;
  /** Lower than the host's cap to fail sooner; never raises it. */
  timeout_ms?: number;
}

export interface FetchResponse {
  readonly ok: boolean;
  readonly status: number;
  /** The final URL, after redirects (each re-checked against `network.allowed_hosts`). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  text(): Promise<string>;
  json(): Promise<JsonValue>;
}

/** HTTP(S) to the hosts listed in the manifest's `network.allowed_hosts`. Needs the network permission. */
export interface PluginNetwork {
  fetch(url: string, init?: FetchInit): Promise<FetchResponse>;
}

/** Environment variables named in the manifest's `env_vars.allowed`. Needs the env_vars permission. */
export interface PluginEnv {
  get(name: string): string | undefined;
}

export interface ExecOptions {
  /** Working folder, relative to the plugin's data folder. */
  cwd?: string;
  /** Written to the command's standard input. */
  input?: string;
  /** Lower than the host's cap to fail sooner; never raises it. */
  timeout_ms?: number;
}

export interface ExecResult {
  /** null when the command was killed by a signal. */
  exit_code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** The command was killed because it ran past its time limit. */
  timed_out: boolean;
  /** Output beyond the host's cap was dropped. */
  truncated: boolean;
}

/**
 * Runs a command from the manifest's `exec.allowed_commands`, with an argv array and no shell.
 * Needs the exec permission.
 */
export type PluginExec = (command: string, args?: string[], options?: ExecOptions) => Promise<ExecResult>;

export type HashAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';
/** How a digest is written: hex (lowercase, the default), base64, or base64url without padding. */
export type DigestEncoding = 'hex' | 'base64' | 'base64url';
/** Text (taken as UTF-8) or raw bytes. */
export type CryptoInput = string | ArrayBuffer | ArrayBufferView;

/**
 * HMAC and hashes, computed by the host (node:crypto), e.g. to sign a webhook's body. Needs no
 * permission. Synchronous; keys and data up to 4 MiB each.
 */
export interface PluginCrypto {
  /** HMAC of `data` under `key`: `ctx.crypto.hmac('sha256', secret, body)` → 64 hex digits. */
  hmac(algorithm: HashAlgorithm, key: CryptoInput, data: CryptoInput, encoding?: DigestEncoding): string;
  /** Hash of `data`. */
  hash(algorithm: HashAlgorithm, data: CryptoInput, encoding?: DigestEncoding): string;
  /** Shorthand for `hash('sha256', data, encoding)`. */
  sha256(data: CryptoInput, encoding?: DigestEncoding): string;
}

/**
 * A plugin's settings as the operator set them (`marathon plugin config <name> <key> <value>`), for the
 * keys its plugin.json declares under `configuration`: strings, numbers, booleans and lists of strings.
 * `${ENV}` references in secrets arrive resolved.
 */
export type PluginConfig = Readonly<Record<string, string | number | boolean | readonly string[]>>;

/**
 * All a sandboxed plugin can reach. Every method is a host function that checks the plugin's
 * permissions and counts its resources; calling one without the permission rejects with an error
 * naming the permission to request.
 */
export interface Context<C extends PluginConfig = PluginConfig> {
  readonly plugin: { readonly name: string; readonly version: string };
  /**
   * The plugin's settings, a deep-frozen copy of what the host gave (a write throws in module code);
   * `{}` when it gave none. `C` is the shape the plugin expects (`definePlugin<{ timeout_s: number }>(…)`):
   * a compile-time promise only, since the host checks values against plugin.json's `configuration`.
   */
  readonly config: Readonly<C>;
  readonly permissions: readonly Permission[];
  hasPermission(permission: Permission): boolean;
  readonly log: PluginLogger;
  readonly storage: PluginStorage;
  readonly fs: PluginFileSystem;
  readonly net: PluginNetwork;
  readonly env: PluginEnv;
  readonly exec: PluginExec;
  readonly crypto: PluginCrypto;
}
