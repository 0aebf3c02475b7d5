// The URL standard's basic URL parser (its state machine, state by state) and serialiser. The
// only state override kept is 'path start', which the pathname setter needs; the other setters
// of url.ts work on the record directly. Over 300 lines on purpose: the state machine is one
// function, state by state in the standard's order, so that it can be read against the spec; the
// host, percent-encoding and search-params parts are already files of their own.
import { parseHost } from './url-host';
import { C0_CONTROL_SET, FRAGMENT_SET, PATH_SET, percentEncode, QUERY_SET, SPECIAL_QUERY_SET, USERINFO_SET } from './url-percent';

export interface UrlRecord {
  scheme: string;
  username: string;
  password: string;
  host: string | null;
  port: number | null;
  /** Segments, or one string for an opaque path (mailto:…, data:…). */
  path: string[] | string;
  query: string | null;
  fragment: string | null;
}

export const DEFAULT_PORTS: Readonly<Record<string, number | null>> = { ftp: 21, file: null, http: 80, https: 443, ws: 80, wss: 443 };

export function isSpecial(scheme: string): boolean {
  return Object.prototype.hasOwnProperty.call(DEFAULT_PORTS, scheme);
}

type State =
  | 'scheme start'
  | 'scheme'
  | 'no scheme'
  | 'special relative or authority'
  | 'path or authority'
  | 'relative'
  | 'relative slash'
  | 'special authority slashes'
  | 'special authority ignore slashes'
  | 'authority'
  | 'host'
  | 'port'
  | 'file'
  | 'file slash'
  | 'file host'
  | 'path start'
  | 'path'
  | 'opaque path'
  | 'query'
  | 'fragment';

const isDriveLetter = (text: string): boolean => /^[A-Za-z][:|]$/.test(text);
const isNormalizedDriveLetter = (text: string | undefined): boolean => text !== undefined && /^[A-Za-z]:$/.test(text);
const isSingleDot = (text: string): boolean => text === '.' || text.toLowerCase() === '%2e';
const isDoubleDot = (text: string): boolean => /^(\.|%2e)(\.|%2e)$/i.test(text);

function startsWithDriveLetter(chars: string[], at: number): boolean {
  return (
    chars.length - at >= 2 && isDriveLetter(chars[at]! + chars[at + 1]!) && (chars.length - at === 2 || '/\\?#'.includes(chars[at + 2]!))
  );
}

/** '?' starts the query and '#' the fragment: the state that follows, or undefined for any other character. */
function queryOrFragment(url: UrlRecord, c: string | undefined): State | undefined {
  if (c === '?') {
    url.query = '';
    return 'query';
  }
  if (c === '#') {
    url.fragment = '';
    return 'fragment';
  }
  return undefined;
}

function shorten(url: UrlRecord): void {
  const path = url.path as string[];
  if (url.scheme === 'file' && path.length === 1 && isNormalizedDriveLetter(path[0])) return;
  path.pop();
}

export function emptyRecord(): UrlRecord {
  return { scheme: '', username: '', password: '', host: null, port: null, path: [], query: null, fragment: null };
}

/** Parses `raw` against `base`; null when it is not a URL. With `override`, parses into `into` from that state. */
export function parseUrl(raw: string, base: UrlRecord | null, into?: UrlRecord, override?: 'path start'): UrlRecord | null {
  const trimmed = into === undefined ? raw.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '') : raw;
  const chars = Array.from(trimmed.replace(/[\t\n\r]/g, ''));
  const url = into ?? emptyRecord();
  let state: State = override ?? 'scheme start';
  let buffer = '';
  let atSignSeen = false;
  let insideBrackets = false;
  let passwordTokenSeen = false;
  const special = (): boolean => isSpecial(url.scheme);
  const endsAuthority = (c: string | undefined): boolean =>
    c === undefined || c === '/' || c === '?' || c === '#' || (special() && c === '\\');
  for (let p = 0; p <= chars.length; p++) {
    const c = chars[p];
    switch (state) {
      case 'scheme start':
        if (c !== undefined && /^[A-Za-z]$/.test(c)) {
          buffer += c.toLowerCase();
          state = 'scheme';
        } else {
          state = 'no scheme';
          p--;
        }
        break;
      case 'scheme':
        if (c !== undefined && /^[A-Za-z0-9+\-.]$/.test(c)) buffer += c.toLowerCase();
        else if (c === ':') {
          url.scheme = buffer;
          buffer = '';
          if (url.scheme === 'file') state = 'file';
          else if (special() && base !== null && base.scheme === url.scheme) state = 'special relative or authority';
          else if (special()) state = 'special authority slashes';
          else if (chars[p + 1] === '/') {
            state = 'path or authority';
            p++;
          } else {
            url.path = '';
            state = 'opaque path';
          }
        } else {
          buffer = '';
          state = 'no scheme';
          p = -1;
        }
        break;
      case 'no scheme':
        if (base === null || (typeof base.path === 'string' && c !== '#')) return null;
        if (typeof base.path === 'string') {
          Object.assign(url, { scheme: base.scheme, path: base.path, query: base.query, fragment: '' });
          state = 'fragment';
        } else {
          state = base.scheme === 'file' ? 'file' : 'relative';
          p--;
        }
        break;
      case 'special relative or authority':
        if (c === '/' && chars[p + 1] === '/') {
          state = 'special authority ignore slashes';
          p++;
        } else {
          state = 'relative';
          p--;
        }
        break;
      case 'path or authority':
        if (c === '/') state = 'authority';
        else {
          state = 'path';
          p--;
        }
        break;
      case 'relative': {
        const from = base!;
        url.scheme = from.scheme;
        if (c === '/' || (special() && c === '\\')) state = 'relative slash';
        else {
          Object.assign(url, {
            username: from.username,
            password: from.password,
            host: from.host,
            port: from.port,
            path: [...from.path],
            query: from.query,
          });
          const next = queryOrFragment(url, c);
          if (next !== undefined) state = next;
          else if (c !== undefined) {
            url.query = null;
            shorten(url);
            state = 'path';
            p--;
          }
        }
        break;
      }
      case 'relative slash':
        if (special() && (c === '/' || c === '\\')) state = 'special authority ignore slashes';
        else if (c === '/') state = 'authority';
        else {
          Object.assign(url, { username: base!.username, password: base!.password, host: base!.host, port: base!.port });
          state = 'path';
          p--;
        }
        break;
      case 'special authority slashes':
        state = 'special authority ignore slashes';
        if (c === '/' && chars[p + 1] === '/') p++;
        else p--;
        break;
      case 'special authority ignore slashes':
        if (c !== '/' && c !== '\\') {
          state = 'authority';
          p--;
        }
        break;
      case 'authority':
        if (c === '@') {
          if (atSignSeen) buffer = `%40${buffer}`;
          atSignSeen = true;
          for (const char of buffer) {
            if (char === ':' && !passwordTokenSeen) {
              passwordTokenSeen = true;
              continue;
            }
            if (passwordTokenSeen) url.password += percentEncode(char, USERINFO_SET);
            else url.username += percentEncode(char, USERINFO_SET);
          }
          buffer = '';
        } else if (endsAuthority(c)) {
          if (atSignSeen && buffer === '') return null;
          p -= Array.from(buffer).length + 1;
          buffer = '';
          state = 'host';
        } else buffer += c;
        break;
      case 'host':
        if (c === ':' && !insideBrackets) {
          if (buffer === '') return null;
          const host = parseHost(buffer, special());
          if (host === null) return null;
          url.host = host;
          buffer = '';
          state = 'port';
        } else if (endsAuthority(c)) {
          p--;
          if (special() && buffer === '') return null;
          const host = parseHost(buffer, special());
          if (host === null) return null;
          url.host = host;
          buffer = '';
          state = 'path start';
        } else {
          if (c === '[') insideBrackets = true;
          if (c === ']') insideBrackets = false;
          buffer += c;
        }
        break;
      case 'port':
        if (c !== undefined && /^[0-9]$/.test(c)) buffer += c;
        else if (endsAuthority(c)) {
          if (buffer !== '') {
            const port = parseInt(buffer, 10);
            if (port > 65535) return null;
            url.port = DEFAULT_PORTS[url.scheme] === port ? null : port;
            buffer = '';
          }
          state = 'path start';
          p--;
        } else return null;
        break;
      case 'file': {
        url.scheme = 'file';
        url.host = '';
        if (c === '/' || c === '\\') state = 'file slash';
        else if (base !== null && base.scheme === 'file') {
          Object.assign(url, { host: base.host, path: [...base.path], query: base.query });
          const next = queryOrFragment(url, c);
          if (next !== undefined) state = next;
          else if (c !== undefined) {
            url.query = null;
            if (!startsWithDriveLetter(chars, p)) shorten(url);
            else url.path = [];
            state = 'path';
            p--;
          }
        } else {
          state = 'path';
          p--;
        }
        break;
      }
      case 'file slash':
        if (c === '/' || c === '\\') state = 'file host';
        else {
          if (base !== null && base.scheme === 'file') {
            url.host = base.host;
            if (!startsWithDriveLetter(chars, p) && isNormalizedDriveLetter((base.path as string[])[0]))
              (url.path as string[]).push((base.path as string[])[0]!);
          }
          state = 'path';
          p--;
        }
        break;
      case 'file host':
        if (c === undefined || c === '/' || c === '\\' || c === '?' || c === '#') {
          p--;
          if (isDriveLetter(buffer)) state = 'path';
          else {
            let host = buffer === '' ? '' : parseHost(buffer, true);
            if (host === null) return null;
            if (host === 'localhost') host = '';
            url.host = host;
            buffer = '';
            state = 'path start';
          }
        } else buffer += c;
        break;
      case 'path start':
        if (special()) {
          state = 'path';
          if (c !== '/' && c !== '\\') p--;
        } else if (override === undefined && (c === '?' || c === '#')) {
          state = queryOrFragment(url, c)!;
        } else if (c !== undefined) {
          state = 'path';
          if (c !== '/') p--;
        }
        break;
      case 'path': {
        const slash = c === '/' || (special() && c === '\\');
        if (c === undefined || slash || (override === undefined && (c === '?' || c === '#'))) {
          const path = url.path as string[];
          if (isDoubleDot(buffer)) {
            shorten(url);
            if (!slash) path.push('');
          } else if (isSingleDot(buffer) && !slash) path.push('');
          else if (!isSingleDot(buffer)) {
            if (url.scheme === 'file' && path.length === 0 && isDriveLetter(buffer)) buffer = `${buffer[0]!}:`;
            path.push(buffer);
          }
          buffer = '';
          state = queryOrFragment(url, c) ?? state;
        } else buffer += percentEncode(c, PATH_SET);
        break;
      }
      case 'opaque path': {
        const next = queryOrFragment(url, c);
        if (next !== undefined) state = next;
        else if (c !== undefined) url.path += percentEncode(c, C0_CONTROL_SET);
        break;
      }
      case 'query':
        if (c === '#' || c === undefined) {
          url.query += percentEncode(buffer, special() ? SPECIAL_QUERY_SET : QUERY_SET);
          buffer = '';
          state = queryOrFragment(url, c) ?? state;
        } else buffer += c;
        break;
      case 'fragment':
        if (c !== undefined) url.fragment += percentEncode(c, FRAGMENT_SET);
        break;
    }
  }
  return url;
}

export function serializePath(url: UrlRecord): string {
  return typeof url.path === 'string' ? url.path : url.path.map((segment) => `/${segment}`).join('');
}

export function serializeUrl(url: UrlRecord, excludeFragment = false): string {
  let out = `${url.scheme}:`;
  if (url.host !== null) {
    out += '//';
    if (url.username !== '' || url.password !== '') out += `${url.username}${url.password === '' ? '' : `:${url.password}`}@`;
    out += url.host;
    if (url.port !== null) out += `:${url.port}`;
  } else if (typeof url.path !== 'string' && url.path.length > 1 && url.path[0] === '') out += '/.';
  out += serializePath(url);
  if (url.query !== null) out += `?${url.query}`;
  if (!excludeFragment && url.fragment !== null) out += `#${url.fragment}`;
  return out;
}
