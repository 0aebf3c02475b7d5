// What issue 14's download tests attack with: a packed plugin, and http/https servers on 127.0.0.1
// whose handler the test writes. The https certificate is self-signed, made with the openssl CLI
// (node:crypto cannot issue certificates); the tests trust it through the https global agent.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface TestServer {
  url: string;
  /** Every request's path and Authorization header, in order. */
  seen: Array<{ path: string; authorization?: string }>;
  close(): Promise<void>;
}

/** A .tgz holding a minimal plugin folder under `package/`, as npm packs it. */
export function packPlugin(root: string, name: string, extra: Record<string, string> = {}): string {
  const dir = join(root, `src-${name}`, 'package');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'plugin.json'), JSON.stringify({ name, version: '1.0.0', api_version: '1.0.0' }));
  for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text);
  const file = join(root, `${name}.tgz`);
  execFileSync('tar', ['czf', file, '-C', join(root, `src-${name}`), 'package']);
  return file;
}

export function selfSignedCertificate(dir: string): { key: string; cert: string } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

export async function serve(handler: Handler, tls?: { key: string; cert: string }): Promise<TestServer> {
  const seen: TestServer['seen'] = [];
  const wrapped: Handler = (request, response) => {
    seen.push({
      path: request.url ?? '',
      ...(request.headers.authorization === undefined ? {} : { authorization: request.headers.authorization }),
    });
    handler(request, response);
  };
  const server: Server = tls === undefined ? createHttpServer(wrapped) : createHttpsServer(tls, wrapped);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
