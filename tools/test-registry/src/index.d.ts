export interface TestRegistry {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Its temporary folder (storage, config). */
  root: string;
  /** An npm userconfig (registry and a token line) that publishes to it anonymously. */
  userconfig: string;
  /** The environment for an npm run against it: this process's, with the registry's own npm cache and no update check. */
  npmEnv(): NodeJS.ProcessEnv;
  /** Publishes a package folder (or .tgz) with the real npm; `token` for private scopes, `tag` for a dist-tag. */
  publish(folder: string, options?: { token?: string; tag?: string }): void;
  /** Publishes several package folders, of different names, with one npm process. */
  publishMany(folders: string[], options?: { token?: string; tag?: string }): void;
  /** Creates a user and returns its auth token. */
  addUser(name: string, password: string): Promise<string>;
  stop(): Promise<void>;
  log(): string;
}

/**
 * Starts Verdaccio on 127.0.0.1 (on `port`, refused when in use; else any free port);
 * `privateScopes` need a logged-in user to read or publish.
 */
export function startRegistry(options?: { privateScopes?: string[]; port?: number }): Promise<TestRegistry>;
