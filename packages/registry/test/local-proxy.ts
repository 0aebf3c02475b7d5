// A proxy on 127.0.0.1 for the proxy tests: it forwards plain-http requests (an absolute URL in
// the request line, as an HTTP proxy receives them) and tunnels CONNECT (what https goes through),
// and records each, so a test can prove a download went through it rather than around it.
import { request as httpRequest, createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface LocalProxy {
  url: string;
  /** `GET http://host:port/path` for a forwarded request, `CONNECT host:port` for a tunnel. */
  seen: string[];
  /** The Proxy-Authorization header of each, when one was sent. */
  credentials: string[];
  close(): Promise<void>;
}

export async function startProxy(): Promise<LocalProxy> {
  const seen: string[] = [];
  const credentials: string[] = [];
  const sockets = new Set<Socket>();
  const note = (line: string, authorization: string | undefined) => {
    seen.push(line);
    if (authorization !== undefined) credentials.push(authorization);
  };
  const server: Server = createServer((request, response) => {
    note(`${request.method} ${request.url}`, request.headers['proxy-authorization']);
    const target = new URL(request.url ?? '');
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    const upstream = httpRequest(target, { method: request.method, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.writeHead(502).end());
    request.pipe(upstream);
  });
  server.on('connect', (request, client: Socket, head: Buffer) => {
    note(`CONNECT ${request.url}`, request.headers['proxy-authorization']);
    const [host, port] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    credentials,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
