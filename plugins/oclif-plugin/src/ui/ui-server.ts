// `marathon ui`'s HTTP server, on Node's http and nothing else: bound to 127.0.0.1 only, every
// request through request-guard.ts first, every response with the security headers, and nothing
// it serves refers to anything outside this server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MarathonError } from '@marathon/plugin-api';
import { guardRequest } from './request-guard';
import { send, sendJson, setSecurityHeaders } from './response-headers';
import type { SearchClient } from '../plugin-search-results';
import { jsonBody, readBody } from './request-body';
import { SessionTokens, sessionCookie } from './session-token';
import { answerApi, type UiManager } from './ui-api';
import { UiError } from './ui-error';
import { UI_PAGE, refusalPage } from './ui-page';
import { UI_SCRIPT } from './ui-script';
import { UI_STYLE } from './ui-style';

export const UI_HOST = '127.0.0.1';

export interface UiServerOptions {
  manager: UiManager;
  /** 0: any free port. */
  port?: number;
  /** The CLI's registry client, for Browse's search (no search without it). */
  npm?: SearchClient;
}

export interface RunningUiServer {
  readonly port: number;
  /** The one-time URL to print: it opens one session, once. */
  readonly url: string;
  close(): Promise<void>;
}

const STATIC: Readonly<Record<string, { type: string; body: string }>> = {
  '/': { type: 'text/html; charset=utf-8', body: UI_PAGE },
  '/ui.js': { type: 'text/javascript; charset=utf-8', body: UI_SCRIPT },
  '/ui.css': { type: 'text/css; charset=utf-8', body: UI_STYLE },
};

function refuse(request: IncomingMessage, response: ServerResponse, error: UiError): void {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  if (path.startsWith('/api/')) sendJson(response, error.status, { error: { code: error.code, message: error.message } });
  else send(response, error.status, 'text/html; charset=utf-8', refusalPage(error.message));
}

async function handle(
  { manager, npm }: UiServerOptions,
  tokens: SessionTokens,
  port: number,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  setSecurityHeaders(response);
  const body = readBody(request);
  const outcome = guardRequest(request, port, tokens);
  if (outcome.kind === 'exchanged') {
    // The token leaves the address bar at once: the session is the cookie from now on.
    response.setHeader('Set-Cookie', sessionCookie(outcome.session));
    response.setHeader('Location', '/');
    send(response, 303, 'text/plain; charset=utf-8', 'See /');
    return;
  }
  const { url, session } = outcome;
  const method = request.method ?? 'GET';
  if (url.pathname.startsWith('/api/')) {
    const browse = {
      query: url.searchParams,
      body: method === 'POST' ? jsonBody(await body) : undefined,
      ...(npm === undefined ? {} : { npm }),
    };
    const answer = await answerApi(manager, method, url.pathname, session, browse);
    sendJson(response, answer.status, answer.body);
    return;
  }
  const file = STATIC[url.pathname];
  if (file === undefined) throw new UiError('UI_NOT_FOUND', 404, `nothing at ${url.pathname}: the page is at /`);
  if (method !== 'GET' && method !== 'HEAD') throw new UiError('UI_METHOD_NOT_ALLOWED', 405, `${url.pathname} is only read (GET)`);
  send(response, 200, file.type, file.body);
}

function failed(request: IncomingMessage, response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (error instanceof UiError) {
    refuse(request, response, error);
    return;
  }
  // Not a refusal: a bug or a broken home. Say so without leaking a stack into the page.
  const message = MarathonError.is(error) ? error.message : 'unexpected error in marathon ui; see the terminal it runs in';
  if (!MarathonError.is(error))
    process.stderr.write(`marathon ui: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  refuse(request, response, new UiError('UI_INTERNAL', 500, message));
}

/** Starts the server on 127.0.0.1; resolves once it listens. */
export async function startUiServer(options: UiServerOptions): Promise<RunningUiServer> {
  const tokens = new SessionTokens();
  let port = 0;
  const server: Server = createServer((request, response) => {
    handle(options, tokens, port, request, response).catch((error: unknown) => failed(request, response, error));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'is in use' : `cannot be used (${error.code ?? error.message})`;
      reject(
        new UiError(
          'UI_PORT_UNAVAILABLE',
          0,
          `port ${options.port ?? 0} on ${UI_HOST} ${reason}; choose another with --port, or --port 0 for any free one`,
        ),
      );
    });
    server.listen(options.port ?? 0, UI_HOST, resolve);
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${UI_HOST}:${port}/?token=${tokens.printedToken}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
