// A hostile npm registry for tests: a node:http server on 127.0.0.1 that serves whatever packuments
// and tarballs the test crafts (metadata naming another package, tarballs that lie about
// themselves, redirects to another port) and records every request it receives, headers included.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as Tar from 'tar';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface FakeServer {
  url: string;
  port: number;
  requests: SeenRequest[];
  /** Answers a path (without query) with a handler; the first match wins over packuments. */
  route(path: string, handler: (response: ServerResponse) => void): void;
  stop(): Promise<void>;
}

export interface FakeRegistry extends FakeServer {
  /** Publishes one version: its tarball at /<name>/-/<file>.tgz, its entry in the packument. */
  publish(name: string, version: string, tarball: Buffer, entry?: Record<string, unknown>): { tarballUrl: string; integrity: string };
  /** The packument document of a name, to change by hand. */
  packument(name: string): { name: string; 'dist-tags': Record<string, string>; versions: Record<string, Record<string, unknown>> };
}

export function sri(bytes: Buffer): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

/** A gzipped tarball of `files` under `prefix` (npm's package/), made with node-tar. */
export function makeTarball(files: Record<string, string>, prefix = 'package'): Buffer {
  const work = mkdtempSync(join(tmpdir(), 'fake-tarball-'));
  try {
    for (const [path, content] of Object.entries(files)) {
      const target = join(work, prefix, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    const out = join(work, 'out.tgz');
    const tar = require('tar') as typeof Tar;
    tar.create(
      {
        gzip: true,
        cwd: prefix === '' ? work : join(work, prefix),
        portable: true,
        sync: true,
        file: out,
        prefix: prefix === '' ? '' : `${prefix}/`,
      },
      Object.keys(files),
    );
    return readFileSync(out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A plugin's files (plugin.json, index.js, package.json) for a tarball; `pkg` and `manifest` override. */
export function pluginFiles(
  name: string,
  version: string,
  options: { pkg?: Record<string, unknown> | null; manifest?: Record<string, unknown> } = {},
): Record<string, string> {
  const manifest = {
    name,
    version,
    description: `The ${name} test plugin`,
    api_version: '1.0.0',
    permissions: [],
    hooks: [],
    commands: [],
    ...options.manifest,
  };
  const files: Record<string, string> = {
    'plugin.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'index.js': "import { definePlugin } from '@marathon/plugin-api';\nexport default definePlugin({});\n",
  };
  if (options.pkg !== null)
    files['package.json'] =
      `${JSON.stringify({ name, version, type: 'module', keywords: ['marathon-plugin'], ...options.pkg }, null, 2)}\n`;
  return files;
}

/** Starts a bare server: every request recorded, routes answered, anything else 404. */
export async function startFakeServer(fallback?: (path: string, response: ServerResponse) => boolean): Promise<FakeServer> {
  const requests: SeenRequest[] = [];
  const routes = new Map<string, (response: ServerResponse) => void>();
  const server = createServer((request, response) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    request.resume();
    const path = decodeURIComponent((request.url ?? '/').split('?')[0]!);
    const route = routes.get(path);
    if (route !== undefined) return route(response);
    if (fallback?.(path, response) === true) return undefined;
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    return undefined;
  });
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    route: (path, handler) => routes.set(path, handler),
    stop: () =>
      new Promise<void>((resolvePromise) => {
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}

/** Starts a registry serving the packuments and tarballs the test publishes. */
export async function startFakeRegistry(): Promise<FakeRegistry> {
  const packuments = new Map<string, ReturnType<FakeRegistry['packument']>>();
  const tarballs = new Map<string, Buffer>();
  const server = await startFakeServer((path, response) => {
    const tarball = tarballs.get(path);
    if (tarball !== undefined) {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tarball.length }).end(tarball);
      return true;
    }
    const doc = packuments.get(path.slice(1));
    if (doc === undefined) return false;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    return true;
  });
  const packument = (name: string) => {
    let doc = packuments.get(name);
    if (doc === undefined) {
      doc = { name, 'dist-tags': {}, versions: {} };
      packuments.set(name, doc);
    }
    return doc;
  };
  return {
    ...server,
    packument,
    publish(name, version, tarball, entry = {}) {
      const path = `/${name}/-/${name.replace(/^@[^/]+\//, '')}-${version}.tgz`;
      tarballs.set(path, tarball);
      const tarballUrl = `${server.url}${path}`;
      const integrity = sri(tarball);
      const doc = packument(name);
      doc.versions[version] = { name, version, dist: { tarball: tarballUrl, integrity }, ...entry };
      doc['dist-tags'].latest = version;
      return { tarballUrl, integrity };
    },
  };
}
