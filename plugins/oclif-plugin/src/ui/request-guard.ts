// The checks every request to `marathon ui` passes before any route sees it. Binding to 127.0.0.1
// is not enough: a web page the operator visits can make the browser talk to that port, so
// - Host must name this server (a DNS-rebinding page arrives with its own name as Host);
// - a session cookie is needed, which only the one-time token of the printed URL gives;
// - a change (any method but GET/HEAD) must come from this origin and echo the session's CSRF token.
import type { IncomingMessage } from 'node:http';
import { SESSION_COOKIE, cookieValue, sameSecret, type SessionTokens, type UiSession } from './session-token';
import { UiError } from './ui-error';

export type GuardOutcome =
  /** The printed URL's token, exchanged for a new session (the server sets its cookie and redirects). */
  { kind: 'exchanged'; session: UiSession } | { kind: 'allowed'; session: UiSession; url: URL };

export const CSRF_HEADER = 'x-csrf-token';

/** The two names this server answers to, with its port. */
export function allowedHosts(port: number): readonly string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** The request's outcome, or throws the UiError it is refused with. */
export function guardRequest(request: IncomingMessage, port: number, tokens: SessionTokens): GuardOutcome {
  const hosts = allowedHosts(port);
  const host = request.headers.host;
  if (host === undefined || !hosts.includes(host)) {
    throw new UiError('UI_WRONG_HOST', 421, `this server answers only to ${hosts.join(' or ')}; open the URL that marathon ui printed`);
  }
  const url = new URL(request.url ?? '/', `http://${host}`);
  const method = request.method ?? 'GET';
  const token = url.searchParams.get('token');
  if (token !== null && method === 'GET' && url.pathname === '/') {
    const session = tokens.exchange(token);
    if (session === undefined) {
      throw new UiError(
        'UI_TOKEN_REFUSED',
        403,
        'this token is not valid or was already used (each printed URL opens one session); run marathon ui again for a new URL',
      );
    }
    return { kind: 'exchanged', session };
  }
  const id = cookieValue(request.headers.cookie, SESSION_COOKIE);
  const session = id === undefined ? undefined : tokens.session(id);
  if (session === undefined) {
    throw new UiError('UI_NO_SESSION', 401, 'no session: open the URL that marathon ui printed (it carries a one-time token)');
  }
  if (!SAFE_METHODS.has(method)) {
    const origin = request.headers.origin;
    if (origin === undefined || !hosts.some((name) => origin === `http://${name}`)) {
      throw new UiError(
        'UI_CROSS_ORIGIN',
        403,
        `a change must come from the marathon ui page itself (Origin ${origin ?? 'missing'} refused)`,
      );
    }
    const csrf = request.headers[CSRF_HEADER];
    if (typeof csrf !== 'string' || !sameSecret(csrf, session.csrfToken)) {
      throw new UiError(
        'UI_CSRF_REFUSED',
        403,
        'a change needs the X-CSRF-Token header of this session (GET /api/session); reload the page',
      );
    }
  }
  return { kind: 'allowed', session, url };
}
