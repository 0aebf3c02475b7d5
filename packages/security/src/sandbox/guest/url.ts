// URL as the URL standard defines it, for the common cases: parsing against a base, the
// serialisation and every component's getter and setter, origin, a live searchParams, canParse
// and parse. Hosts follow url-host.ts (no full UTS #46 mapping); blob: URLs have an opaque origin.
import { DEFAULT_PORTS, isSpecial, parseUrl, serializePath, serializeUrl, type UrlRecord } from './url-parser';
import { parseHost } from './url-host';
import { FRAGMENT_SET, percentEncode, QUERY_SET, SPECIAL_QUERY_SET, USERINFO_SET } from './url-percent';
import { linkSearchParams, resetSearchParams, type URLSearchParams } from './url-search-params';

function parseOrThrow(url: unknown, base: unknown): UrlRecord {
  let baseRecord: UrlRecord | null = null;
  if (base !== undefined) {
    baseRecord = parseUrl(String(base), null);
    if (baseRecord === null) throw new TypeError(`Invalid base URL: ${String(base)}`);
  }
  const record = parseUrl(String(url), baseRecord);
  if (record === null) throw new TypeError(`Invalid URL: ${String(url)}`);
  return record;
}

const stripped = (value: unknown): string => String(value).replace(/[\t\n\r]/g, '');

/** Splits 'host:port' at the first colon outside brackets. */
function splitHostPort(text: string): [string, string | undefined] {
  let inside = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '[') inside = true;
    else if (text[i] === ']') inside = false;
    else if (text[i] === ':' && !inside) return [text.slice(0, i), text.slice(i + 1)];
  }
  return [text, undefined];
}

export class URL {
  #url: UrlRecord;
  #params: URLSearchParams;

  constructor(url: unknown, base?: unknown) {
    if (arguments.length === 0) throw new TypeError("Failed to construct 'URL': 1 argument required, but only 0 present.");
    this.#url = parseOrThrow(url, base);
    this.#params = linkSearchParams(this.#url.query, (query) => {
      this.#url.query = query === '' ? null : query;
    });
  }

  static canParse(url: unknown, base?: unknown): boolean {
    try {
      parseOrThrow(url, base);
      return true;
    } catch {
      return false;
    }
  }

  static parse(url: unknown, base?: unknown): URL | null {
    return URL.canParse(url, base) ? new URL(url, base) : null;
  }

  get href(): string {
    return serializeUrl(this.#url);
  }
  set href(value: string) {
    this.#url = parseOrThrow(value, undefined);
    resetSearchParams(this.#params, this.#url.query);
  }

  get origin(): string {
    const url = this.#url;
    if (url.scheme === 'blob') {
      const inner = typeof url.path === 'string' ? parseUrl(url.path, null) : null;
      return inner !== null && (inner.scheme === 'http' || inner.scheme === 'https') ? new URL(serializeUrl(inner)).origin : 'null';
    }
    if (!isSpecial(url.scheme) || url.scheme === 'file') return 'null';
    return `${url.scheme}://${url.host ?? ''}${url.port === null ? '' : `:${url.port}`}`;
  }

  get protocol(): string {
    return `${this.#url.scheme}:`;
  }
  set protocol(value: string) {
    const match = /^([A-Za-z][A-Za-z0-9+\-.]*)(:|$)/.exec(stripped(value));
    if (match === null) return;
    const scheme = match[1]!.toLowerCase();
    const url = this.#url;
    if (isSpecial(url.scheme) !== isSpecial(scheme)) return;
    if (scheme === 'file' && (url.username !== '' || url.password !== '' || url.port !== null)) return;
    if (url.scheme === 'file' && url.host === '') return;
    url.scheme = scheme;
    if (url.port === DEFAULT_PORTS[scheme]) url.port = null;
  }

  #cannotHaveCredentials(): boolean {
    return this.#url.host === null || this.#url.host === '' || this.#url.scheme === 'file';
  }

  get username(): string {
    return this.#url.username;
  }
  set username(value: string) {
    if (!this.#cannotHaveCredentials()) this.#url.username = percentEncode(String(value), USERINFO_SET);
  }

  get password(): string {
    return this.#url.password;
  }
  set password(value: string) {
    if (!this.#cannotHaveCredentials()) this.#url.password = percentEncode(String(value), USERINFO_SET);
  }

  get host(): string {
    const { host, port } = this.#url;
    return host === null ? '' : port === null ? host : `${host}:${port}`;
  }
  set host(value: string) {
    this.#setHost(value, true);
  }

  get hostname(): string {
    return this.#url.host ?? '';
  }
  set hostname(value: string) {
    this.#setHost(value, false);
  }

  #setHost(value: unknown, withPort: boolean): void {
    const url = this.#url;
    if (typeof url.path === 'string') return;
    const special = isSpecial(url.scheme);
    const text = stripped(value).split(special ? /[/?#\\]/ : /[/?#]/)[0]!;
    const [hostText, portText] = splitHostPort(text);
    if (portText !== undefined && !withPort) return;
    if (hostText === '' && special) return;
    const host = parseHost(hostText, special);
    if (host === null) return;
    url.host = url.scheme === 'file' && host === 'localhost' ? '' : host;
    if (portText !== undefined) this.port = portText;
  }

  get port(): string {
    return this.#url.port === null ? '' : String(this.#url.port);
  }
  set port(value: string) {
    if (this.#cannotHaveCredentials()) return;
    const text = stripped(value);
    if (text === '') {
      this.#url.port = null;
      return;
    }
    const digits = /^[0-9]+/.exec(text)?.[0];
    if (digits === undefined) return;
    const port = parseInt(digits, 10);
    if (port > 65535) return;
    this.#url.port = DEFAULT_PORTS[this.#url.scheme] === port ? null : port;
  }

  get pathname(): string {
    return serializePath(this.#url);
  }
  set pathname(value: string) {
    if (typeof this.#url.path === 'string') return;
    this.#url.path = [];
    parseUrl(String(value), null, this.#url, 'path start');
  }

  get search(): string {
    const query = this.#url.query;
    return query === null || query === '' ? '' : `?${query}`;
  }
  set search(value: string) {
    const text = stripped(value);
    if (text === '') this.#url.query = null;
    else
      this.#url.query = percentEncode(
        text.startsWith('?') ? text.slice(1) : text,
        isSpecial(this.#url.scheme) ? SPECIAL_QUERY_SET : QUERY_SET,
      );
    resetSearchParams(this.#params, this.#url.query);
  }

  get searchParams(): URLSearchParams {
    return this.#params;
  }

  get hash(): string {
    const fragment = this.#url.fragment;
    return fragment === null || fragment === '' ? '' : `#${fragment}`;
  }
  set hash(value: string) {
    const text = stripped(value);
    this.#url.fragment = text === '' ? null : percentEncode(text.startsWith('#') ? text.slice(1) : text, FRAGMENT_SET);
  }

  toString(): string {
    return this.href;
  }

  toJSON(): string {
    return this.href;
  }
}
