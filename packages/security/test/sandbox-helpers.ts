import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifest, type Manifest } from '@marathon/manifest';
import { SandboxHost, type PluginSource, type SandboxedPlugin } from '@marathon/security';

export const fixtures = join(__dirname, 'fixtures', 'plugins');
export const hostileDir = join(__dirname, 'hostile');

/** A throwaway MARATHON_HOME-like folder for data and storage. */
export function tempHome(): { home: string; cleanup(): void } {
  const home = mkdtempSync(join(tmpdir(), 'marathon-sandbox-'));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** What a test may add to a PluginSource: the operator's settings for the plugin. */
export type OperatorSettings = Pick<PluginSource, 'config' | 'allowPrivateNetwork'>;

/** Loads the plugin in `dir` with its data under `home`; `manifest` overrides what plugin.json says. */
export async function loadPlugin(
  host: SandboxHost,
  dir: string,
  home: string,
  manifest?: Manifest,
  settings: OperatorSettings = {},
): Promise<SandboxedPlugin> {
  const loaded = manifest ?? (await readManifest(dir));
  return host.load({
    dir,
    manifest: loaded,
    dataDir: join(home, 'data', loaded.name),
    storageFile: join(home, 'storage', `${loaded.name}.json`),
    ...settings,
  });
}

/** A host (3 s call deadline) with the hello fixture loaded, for a describe block: made before its tests, closed after. */
export interface HelloHost {
  host(): SandboxHost;
  /** hello, to show a hostile plugin left its neighbour working. */
  hello(): SandboxedPlugin;
  home: { home: string; cleanup(): void };
}

/** Registers the beforeAll/afterAll of a HelloHost in the calling describe block. */
export function useHelloHost(): HelloHost {
  let host: SandboxHost | undefined;
  let hello: SandboxedPlugin | undefined;
  const home = tempHome();
  beforeAll(async () => {
    host = new SandboxHost({ policy: { limits: { call_deadline_ms: 3000 } } });
    hello = await loadPlugin(host, join(fixtures, 'hello'), home.home);
  });
  afterAll(async () => {
    await host?.close();
    home.cleanup();
  });
  return { host: () => host!, hello: () => hello!, home };
}

/** A copy of a fixture plugin folder that a test may change (add symlinks to, say). */
export function copyPlugin(from: string, home: string): string {
  const to = join(home, 'plugins', from.split('/').pop()!);
  cpSync(from, to, { recursive: true });
  return to;
}

export interface TestServer {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

/** A loopback HTTP server with the routes the network tests need. */
export async function startServer(): Promise<TestServer> {
  const hits: string[] = [];
  let port = 0;
  const server: Server = createServer((request, response) => {
    hits.push(request.url ?? '');
    switch (request.url) {
      case '/hello':
        response.end('hi');
        break;
      case '/json':
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ answer: 42 }));
        break;
      case '/redirect-to-localhost':
        response.statusCode = 302;
        response.setHeader('location', `http://localhost:${port}/secret`);
        response.end();
        break;
      case '/redirect-same-host':
        response.statusCode = 302;
        response.setHeader('location', '/hello');
        response.end();
        break;
      case '/slow':
        setTimeout(() => response.end('slow'), 300);
        break;
      case '/huge':
        response.end(Buffer.alloc(2 * 1024 * 1024, 'x'));
        break;
      default:
        response.statusCode = 404;
        response.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
