export interface TestRegistry {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Its temporary folder (storage, config). */
  root: string;
  /** Publishes a package folder (or .tgz) with the real npm; `token` for private scopes. */
  publish(folder: string, options?: { token?: string }): void;
  /** Creates a user and returns its auth token. */
  addUser(name: string, password: string): Promise<string>;
  stop(): Promise<void>;
  log(): string;
}

/** Starts Verdaccio on 127.0.0.1; `privateScopes` need a logged-in user to read or publish. */
export function startRegistry(options?: { privateScopes?: string[] }): Promise<TestRegistry>;
