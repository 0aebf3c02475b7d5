// The one-time token `marathon ui` prints, and the sessions it is exchanged for. The token travels
// in a URL (terminal scrollback, browser history), so it opens exactly one session and is then
// dead; the session lives in an HttpOnly cookie the page's script cannot read, and each session
// has its own CSRF token that the page must echo in a header on every change.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'marathon_ui_session';

/** 32 random bytes as 64 hex characters. */
function randomHex(): string {
  return randomBytes(32).toString('hex');
}

/** Compares in constant time, so that a wrong guess says nothing about how close it was. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface UiSession {
  readonly id: string;
  readonly csrfToken: string;
}

export class SessionTokens {
  /** The token of the printed URL; undefined once it has been exchanged. */
  private oneTime: string | undefined;
  readonly printedToken: string;
  private readonly sessions = new Map<string, UiSession>();

  constructor() {
    this.printedToken = randomHex();
    this.oneTime = this.printedToken;
  }

  /** A new session for the printed token, the first time only; undefined for any other token or a second use. */
  exchange(token: string): UiSession | undefined {
    if (this.oneTime === undefined || !sameSecret(token, this.oneTime)) return undefined;
    this.oneTime = undefined;
    const session: UiSession = { id: randomHex(), csrfToken: randomHex() };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The session a cookie value names, if it is one this server issued. */
  session(id: string): UiSession | undefined {
    for (const session of this.sessions.values()) if (sameSecret(id, session.id)) return session;
    return undefined;
  }
}

/** The value of one cookie in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index !== -1 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** The Set-Cookie header of a session: not readable by script, never sent by another site's request. */
export function sessionCookie(session: UiSession): string {
  return `${SESSION_COOKIE}=${session.id}; HttpOnly; SameSite=Strict; Path=/`;
}
