// Downloading a plugin archive from an http(s) URL into staging, for `plugin install <url>`.
// What it promises, each against a server that tries otherwise:
// - https, or plain http only from this machine; a redirect never goes from https to plain http
//   (a downgrade would let anyone on the path swap the archive when there is no --integrity);
// - the URL's user:password goes only to the origin it was typed for, never to a redirect target;
// - no more than the policy's max_plugin_size is written, with or without a Content-Length;
// - the whole download ends within a deadline (a server that drips a byte every few seconds
//   defeats any idle timeout), and nothing may stall longer than the idle timeout;
// - every failure is a RegistryError naming the host that failed, never an unhandled stream error
//   (which killed the process mid-install or mid-sync and left staging behind), and never showing
//   the URL's credentials or query (see source-spec.ts).
// - it goes through the proxies npm would use (HTTPS_PROXY / HTTP_PROXY / NO_PROXY, and the
//   operator's npm configuration: readProxySettings), with npm's own agent (npm-agent.ts); a
//   failure to reach the proxy names the proxy.
// The request loop stays here rather than in make-fetch-happen: its redirects, cache and retries
// would each have to be turned off again to keep the promises above.
import { get as httpGet, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { get as httpsGet } from 'node:https';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { RegistryError } from './errors';
import { copyHashed } from './hashed-copy';
import { npmAgent, proxyFor } from './npm-agent';
import { readProxySettings, type ProxySettings } from './npm-config';
import { hasPrivateParts, publicUrl } from './source-spec';

export interface DownloadOptions {
  /** Largest archive accepted (the policy's max_plugin_size). */
  maxBytes: number;
  /** For the whole download: every redirect, and the body. Default DEFAULT_DEADLINE_MS. */
  deadlineMs?: number;
  /** How long nothing may arrive — connecting, awaiting the answer, between chunks. Default 30 s, never over the deadline. */
  idleMs?: number;
  /** The proxies to use. Default: the ones npm would use here (readProxySettings). */
  proxy?: ProxySettings;
  /** Certificates to trust for https instead of Node's (a private CA). */
  ca?: string | string[];
}

export const DEFAULT_DEADLINE_MS = 60_000;
const DEFAULT_IDLE_MS = 30_000;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Errors that mean the host could not be reached at all, as opposed to answering badly. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);
const BROKEN = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * MARATHON_DOWNLOAD_TIMEOUT_MS: how long a URL download may take in all, for a slow link or a big
 * plugin. Undefined when unset; a value that is not a positive whole number of milliseconds is
 * refused, not ignored.
 */
export function downloadTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env.MARATHON_DOWNLOAD_TIMEOUT_MS;
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value.trim()) === 0) {
    throw new RegistryError(
      'SETTING_INVALID',
      `MARATHON_DOWNLOAD_TIMEOUT_MS must be a positive whole number of milliseconds, not '${value}'`,
    );
  }
  return Number(value.trim());
}

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

/** The download's two clocks. Either running out destroys whatever is in flight with its refusal. */
class Clocks {
  expired: RegistryError | undefined;
  private readonly inFlight: Array<ClientRequest | IncomingMessage> = [];
  private readonly deadline: NodeJS.Timeout;
  private idle: NodeJS.Timeout | undefined;
  private host = '';

  constructor(
    private readonly shown: string,
    deadlineMs: number,
    private readonly idleMs: number,
  ) {
    this.deadline = setTimeout(
      () => this.expire(`${shown} was not downloaded within ${deadlineMs} ms; on a slow link, raise MARATHON_DOWNLOAD_TIMEOUT_MS`),
      deadlineMs,
    );
  }

  /** A new hop starts: the idle clock now speaks of its host. */
  at(url: URL): void {
    this.host = url.host;
    this.touch();
  }

  track(stream: ClientRequest | IncomingMessage): void {
    this.inFlight.push(stream);
  }

  touch(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(
      () => this.expire(`${this.host} sent nothing for ${this.idleMs} ms while ${this.shown} was downloading`),
      this.idleMs,
    );
  }

  stop(): void {
    clearTimeout(this.deadline);
    clearTimeout(this.idle);
  }

  private expire(message: string): void {
    if (this.expired !== undefined) return;
    this.expired = new RegistryError('DOWNLOAD_FAILED', message);
    for (const stream of this.inFlight) stream.destroy(this.expired);
  }
}

function refuseScheme(url: URL, previous: URL | undefined): void {
  const from = previous === undefined ? '' : ` (redirected from ${publicUrl(previous)})`;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    throw new RegistryError(
      'DOWNLOAD_FAILED',
      `refusing ${publicUrl(url)}${from}: plugins are downloaded over https (plain http only from this machine)`,
    );
  }
  if (previous?.protocol === 'https:' && url.protocol !== 'https:') {
    throw new RegistryError(
      'DOWNLOAD_FAILED',
      `refusing the redirect from ${publicUrl(previous)} to ${publicUrl(url)}: a download that started over https never continues over plain http`,
    );
  }
}

/** A percent-escape the URL parser let through but that decodes to nothing is sent as typed. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function basicAuth(url: URL): string | undefined {
  if (url.username === '' && url.password === '') return undefined;
  return `Basic ${Buffer.from(`${decoded(url.username)}:${decoded(url.password)}`).toString('base64')}`;
}

/** How each hop connects: through which proxies, trusting which certificates. */
interface Route {
  proxies: ProxySettings;
  ca?: string | string[];
}

/**
 * The certificate check for `url`'s own host. Through a CONNECT tunnel npm's proxy agent connects
 * TLS with neither host nor servername when the host is an IP address, and Node then checks the
 * certificate against "localhost": an https URL with an IP address failed through any proxy.
 */
function identityOf(url: URL): (host: string, cert: PeerCertificate) => Error | undefined {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return (_host, cert) => checkServerIdentity(host, cert);
}

/** Sends one GET; resolves with the answer's head. The URL's own userinfo is never used: `headers` say what to send. */
function send(url: URL, headers: OutgoingHttpHeaders, clocks: Clocks, route: Route): Promise<IncomingMessage> {
  const target = new URL(url);
  target.username = '';
  target.password = '';
  return new Promise((resolve, reject) => {
    const get = target.protocol === 'https:' ? httpsGet : httpGet;
    const request = get(
      target,
      {
        headers,
        agent: npmAgent(target, route.proxies),
        checkServerIdentity: identityOf(target),
        ...(route.ca === undefined ? {} : { ca: route.ca }),
      },
      (response) => {
        clocks.track(response);
        // Until the body is piped, an error would have no listener and kill the process; the pipe
        // (or the destroy that replaces it) sees the error again through the stream's state.
        response.on('error', () => undefined);
        resolve(response);
      },
    );
    clocks.track(request);
    request.on('error', reject);
  });
}

function redirectTarget(response: IncomingMessage, url: URL): URL {
  const location = response.headers.location;
  if (location === undefined)
    throw new RegistryError('DOWNLOAD_FAILED', `${publicUrl(url)} answered ${response.statusCode} without saying where to`);
  try {
    return new URL(location, url);
  } catch {
    throw new RegistryError('DOWNLOAD_FAILED', `${publicUrl(url)} redirected to an address that is not a URL`);
  }
}

function refusedStatus(status: number, url: URL, requested: URL, proxy: URL | undefined): RegistryError {
  if (status === 407 && proxy !== undefined) {
    return new RegistryError(
      'DOWNLOAD_FAILED',
      `the proxy ${proxy.host} refused to fetch ${publicUrl(url)} without credentials ` +
        `(407): put them in the proxy URL (HTTPS_PROXY, or https-proxy in your .npmrc)`,
    );
  }
  // The recorded spec (update, sync) has no credentials or query: a refusal of it may just mean
  // they are needed again.
  const hint =
    [401, 403, 404].includes(status) && !hasPrivateParts(requested)
      ? ': if it needs credentials or a token, give the full URL to plugin install or plugin update (Marathon does not record them)'
      : '';
  return new RegistryError('DOWNLOAD_FAILED', `${publicUrl(url)} answered ${status}${hint}`);
}

/** Any other failure, as a RegistryError naming the host at fault (the hop's, which may not be the URL typed). */
function describeFailure(error: unknown, url: URL, requested: URL, proxy: URL | undefined): RegistryError {
  if (error instanceof RegistryError) return error;
  const { code, message } = error as NodeJS.ErrnoException;
  const what = url.href === requested.href ? publicUrl(requested) : `${publicUrl(requested)} (redirected to ${publicUrl(url)})`;
  // Through a proxy, the connection that failed is the proxy's: the host's own could not be tried.
  if (proxy !== undefined && code !== undefined && UNREACHABLE.has(code)) {
    return new RegistryError(
      'DOWNLOAD_FAILED',
      `cannot reach the proxy ${proxy.host} (${code}) to download ${what}: check HTTPS_PROXY / ` +
        `HTTP_PROXY (or proxy / https-proxy in your .npmrc), or list ${url.hostname} in NO_PROXY`,
    );
  }
  if (code === 'EINVALIDPROXY' || (code === 'ERR_INVALID_URL' && proxy === undefined)) {
    return new RegistryError(
      'SETTING_INVALID',
      `the proxy set for ${url.protocol.slice(0, -1)} (HTTPS_PROXY / HTTP_PROXY, or proxy / ` +
        `https-proxy in your npm configuration) is not an http(s) or socks URL; fix it to download ${what}`,
    );
  }
  if (code !== undefined && UNREACHABLE.has(code)) {
    return new RegistryError(
      'DOWNLOAD_FAILED',
      `cannot reach ${url.host} (${code}) to download ${what}: check the address, and that the server is up and reachable from here`,
    );
  }
  if (code !== undefined && BROKEN.has(code)) {
    return new RegistryError('DOWNLOAD_FAILED', `the connection to ${url.host} broke (${code}) before ${what} was downloaded: try again`);
  }
  if (code !== undefined && /CERT|TLS|SSL|SELF_SIGNED/.test(code)) {
    return new RegistryError('DOWNLOAD_FAILED', `the TLS certificate of ${url.host} was refused (${code}) downloading ${what}`);
  }
  // Only the code when there is one: a message could quote what it was given.
  return new RegistryError('DOWNLOAD_FAILED', `downloading ${what} failed: ${code ?? message ?? String(error)}`);
}

/** The proxy of a hop, or none when even that cannot be told (a proxy setting that is no URL). */
function proxyOrNone(url: URL, proxies: ProxySettings): URL | undefined {
  try {
    return proxyFor(url, proxies);
  } catch {
    return undefined;
  }
}

/** Downloads `requested` into `file` (a new file); resolves to the SRI sha512 of what was written. */
export async function downloadUrl(requested: URL, file: string, options: DownloadOptions): Promise<string> {
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const clocks = new Clocks(publicUrl(requested), deadlineMs, Math.min(options.idleMs ?? DEFAULT_IDLE_MS, deadlineMs));
  const credentials = basicAuth(requested);
  let url = requested;
  let previous: URL | undefined;
  let route: Route | undefined;
  try {
    route = { proxies: options.proxy ?? readProxySettings(), ...(options.ca === undefined ? {} : { ca: options.ca }) };
    for (let hops = 0; ; hops += 1) {
      refuseScheme(url, previous);
      clocks.at(url);
      const headers: OutgoingHttpHeaders = { accept: 'application/octet-stream, */*' };
      // The credentials go only where the operator sent them: the same scheme, host and port.
      if (credentials !== undefined && url.origin === requested.origin) headers.authorization = credentials;
      const response = await send(url, headers, clocks, route);
      const status = response.statusCode ?? 0;
      if (REDIRECTS.has(status)) {
        response.destroy();
        if (hops >= MAX_REDIRECTS)
          throw new RegistryError('DOWNLOAD_FAILED', `${publicUrl(requested)} redirected more than ${MAX_REDIRECTS} times`);
        previous = url;
        url = redirectTarget(response, url);
        continue;
      }
      if (status !== 200) {
        response.destroy();
        throw refusedStatus(status, url, requested, proxyFor(url, route.proxies));
      }
      const tooBig = () =>
        new RegistryError(
          'DOWNLOAD_FAILED',
          `${publicUrl(url)} is over the ${options.maxBytes} bytes a plugin may be (the policy's max_plugin_size)`,
        );
      if (Number(response.headers['content-length'] ?? 0) > options.maxBytes) {
        response.destroy();
        throw tooBig();
      }
      return await copyHashed(response, file, { maxBytes: options.maxBytes, tooBig, onChunk: () => clocks.touch() });
    }
  } catch (error) {
    throw clocks.expired ?? describeFailure(error, url, requested, route === undefined ? undefined : proxyOrNone(url, route.proxies));
  } finally {
    clocks.stop();
  }
}
