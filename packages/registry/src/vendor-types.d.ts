// The parts of pacote 21, npm-registry-fetch 19, npm-package-arg 13 and @npmcli/agent 4 this
// package uses (their published @types are for much older majors, or missing). Options are npm's
// flat config: registry, @scope:registry, //host/:_authToken, cache, and so on.
declare module 'pacote' {
  type Options = Record<string, unknown>;
  interface Manifest {
    name: string;
    version: string;
    description?: string;
    keywords?: string[];
    dist?: { integrity?: string; tarball?: string };
    _resolved: string;
    _integrity: string;
    _from: string;
    [key: string]: unknown;
  }
  interface Packument {
    name: string;
    'dist-tags': Record<string, string>;
    versions: Record<string, Manifest>;
    time?: Record<string, string>;
  }
  interface FetchResult {
    integrity: string;
    resolved: string;
    from: string;
  }
  function manifest(spec: string, options?: Options): Promise<Manifest>;
  function packument(spec: string, options?: Options): Promise<Packument>;
  const tarball: {
    file(spec: string, destination: string, options?: Options): Promise<FetchResult>;
  };
}

// pacote's registry fetcher alone: the only fetcher Marathon constructs (never git, dir, file).
declare module 'pacote/lib/registry.js' {
  import type { Manifest, Packument, FetchResult } from 'pacote';
  class RegistryFetcher {
    constructor(spec: string, options: Record<string, unknown>);
    /** The spec as npm-package-arg parsed it. */
    readonly spec: { type: string; registry?: boolean; name?: string };
    manifest(): Promise<Manifest>;
    packument(): Promise<Packument>;
    tarballFile(destination: string): Promise<FetchResult>;
  }
  export = RegistryFetcher;
}

declare module 'npm-package-arg' {
  namespace npa {
    interface Result {
      type: 'git' | 'tag' | 'version' | 'range' | 'file' | 'directory' | 'remote' | 'alias';
      registry?: boolean;
      name?: string | null;
      scope?: string | null;
      escapedName?: string | null;
      rawSpec: string;
      fetchSpec?: string | null;
    }
  }
  function npa(spec: string, where?: string): npa.Result;
  export = npa;
}

declare module 'npm-registry-fetch' {
  function json(path: string, options?: Record<string, unknown>): Promise<unknown>;
  /** The credentials npm would send to a URL: token, or base64 `user:password`. */
  function getAuth(uri: string, options: Record<string, unknown>): { token: string | null; auth: string | null };
  export default { json, getAuth };
  export { json, getAuth };
}

declare module '@npmcli/agent' {
  import type { Agent as HttpAgent, ClientRequest, RequestOptions } from 'node:http';
  /** npm's HTTP(S) agent: proxies, timeouts, DNS cache. */
  class Agent extends HttpAgent {
    constructor(options?: { timeout?: number; proxy?: string; noProxy?: string; [key: string]: unknown });
    addRequest(request: ClientRequest, options: RequestOptions): void;
  }
  export { Agent };
}

declare module 'ini' {
  export function parse(text: string): Record<string, unknown>;
}
