// The parts of pacote 21 and npm-registry-fetch 19 this package uses (their published @types are
// for much older majors). Options are npm's flat config: registry, @scope:registry,
// //host/:_authToken, cache, and so on.
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

declare module 'npm-registry-fetch' {
  function json(path: string, options?: Record<string, unknown>): Promise<unknown>;
  export default { json };
  export { json };
}

declare module 'ini' {
  export function parse(text: string): Record<string, unknown>;
}
