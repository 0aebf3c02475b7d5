// ctx.net.fetch: HTTP(S) to the manifest's allowed hosts only. Every hop of a redirect is checked
// again; the name is resolved here and the connection pinned to the address that was checked (no
// DNS rebinding between check and connect); loopback, link-local and private addresses are refused
// unless the policy allows private networks. Response size and time are capped. URLs are audited
// and quoted in errors with their secrets masked (url-redaction.ts).
import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { JsonValue } from '@marathon/plugin-api';
import { isPrivateAddress } from './address-guard';
import { CapabilityError } from './capability-error';
import { matchFetchStub, type FetchStub } from './capability-stubs';
import { hostAllowed, normalisedHost } from './host-allowlist';
import { redactedTarget, redactedUrl } from './url-redaction';
import type { PluginScope } from './plugin-scope';

export const MAX_RESPONSE_BYTES = 1024 * 1024;
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;
export const MAX_REDIRECTS = 5;
export const MAX_FETCH_MS = 10_000;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
// Headers the host sets itself; a plugin's values for them are dropped.
const HOST_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'proxy-authorization']);

interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  timeoutMs: number;
}

function readInit(raw: unknown, scope: PluginScope): FetchInit {
  const init = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const method = typeof init.method === 'string' ? init.method.toUpperCase() : 'GET';
  if (!METHODS.has(method)) throw new CapabilityError('EINVAL', `net.fetch: method '${String(init.method)}' is not supported`);
  const headers: Record<string, string> = {};
  if (typeof init.headers === 'object' && init.headers !== null) {
    for (const [name, value] of Object.entries(init.headers as Record<string, unknown>)) {
      if (typeof value !== 'string' || /[\r\n\0]/.test(value) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
        throw new CapabilityError('EINVAL', `net.fetch: header '${name}' must be a token with a single-line string value`);
      }
      if (!HOST_HEADERS.has(name.toLowerCase())) headers[name] = value;
    }
  }
  let body: string | undefined;
  if (init.body !== undefined && init.body !== null) {
    if (typeof init.body !== 'string') throw new CapabilityError('EINVAL', 'net.fetch: body must be a string');
    if (Buffer.byteLength(init.body) > MAX_REQUEST_BODY_BYTES)
      throw new CapabilityError('EFBIG', `net.fetch: body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`);
    body = init.body;
  }
  const wanted = typeof init.timeout_ms === 'number' && init.timeout_ms > 0 ? init.timeout_ms : MAX_FETCH_MS;
  return { method, headers, body, timeoutMs: Math.min(wanted, MAX_FETCH_MS, scope.remainingMs()) };
}

/** The checks every URL passes before anything is resolved or sent: scheme, credentials, allowlist. */
function checkUrl(scope: PluginScope, url: URL): string {
  const capability = 'net.fetch';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw scope.deny(capability, redactedUrl(url), 'EPERM', `net.fetch: only http and https URLs are allowed, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw scope.deny(capability, redactedUrl(url), 'EPERM', 'net.fetch: URLs with a user name or password are not allowed');
  }
  const host = normalisedHost(url);
  if (!hostAllowed(host, scope.spec.allowedHosts)) {
    throw scope.deny(capability, redactedUrl(url), 'EPERM', `net.fetch: host '${host}' is not in network.allowed_hosts`);
  }
  return host;
}

/** Checks a URL (the first or a redirect's) and returns the address to connect to. */
async function checkTarget(scope: PluginScope, url: URL): Promise<{ address: string; family: 4 | 6 }> {
  const capability = 'net.fetch';
  const host = checkUrl(scope, url);
  let addresses: Array<{ address: string; family: number }>;
  const pinnedAddress = scope.spec.resolve?.[host];
  if (pinnedAddress !== undefined) addresses = [{ address: pinnedAddress, family: isIP(pinnedAddress) }];
  else if (isIP(host) !== 0) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw scope.deny(capability, redactedUrl(url), 'ENOTFOUND', `net.fetch: host '${host}' could not be resolved`);
    }
  }
  if (!scope.spec.allowPrivateNetwork) {
    const inside = addresses.find((entry) => isPrivateAddress(entry.address));
    if (inside !== undefined) {
      throw scope.deny(
        capability,
        redactedUrl(url),
        'EPERM',
        `net.fetch: host '${host}' resolves to a private or loopback address, which ` +
          (scope.spec.privateNetworkSetByPlugin === true
            ? "the operator's setting for this plugin does not allow"
            : 'the policy does not allow'),
      );
    }
  }
  const first = addresses[0];
  if (first === undefined) throw scope.deny(capability, redactedUrl(url), 'ENOTFOUND', `net.fetch: host '${host}' has no address`);
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

function send(url: URL, init: FetchInit, target: { address: string; family: 4 | 6 }, deadline: number): Promise<IncomingMessage> {
  // Connect to the address that was checked, whatever DNS says now.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    const all = (options as { all?: boolean }).all === true;
    if (all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method, headers: init.headers, lookup: pinned, timeout: Math.max(1, deadline - Date.now()) },
      resolve,
    );
    req.on('timeout', () => req.destroy(new CapabilityError('ETIMEDOUT', `net.fetch: ${redactedUrl(url)} did not answer in time`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

function readBody(response: IncomingMessage, url: URL, deadline: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(
      () => response.destroy(new CapabilityError('ETIMEDOUT', `net.fetch: ${redactedUrl(url)} took too long to send its response`)),
      Math.max(1, deadline - Date.now()),
    );
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) {
        response.destroy(
          new CapabilityError('EFBIG', `net.fetch: the response of ${redactedUrl(url)} is larger than ${MAX_RESPONSE_BYTES} bytes`),
        );
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    response.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function headersOf(response: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** A fetch answered by a test's stub: every check of a real fetch, but no DNS and no connection. */
function stubbedFetch(scope: PluginScope, url: URL, method: string, stubs: readonly FetchStub[]): JsonValue {
  checkUrl(scope, url);
  const stub = matchFetchStub(stubs, url, method);
  if (stub === undefined) throw new CapabilityError('ENOSTUB', `net.fetch: the test stubs no response for ${method} ${redactedUrl(url)}`);
  scope.audit('net.fetch', redactedUrl(url), true, 'stubbed');
  const status = stub.response.status ?? 200;
  return {
    ok: status >= 200 && status < 300,
    status,
    url: url.href,
    headers: { ...stub.response.headers },
    body: method === 'HEAD' ? '' : (stub.response.body ?? ''),
  };
}

/** Runs one ctx.net.fetch for the plugin. */
export async function netFetch(scope: PluginScope, args: readonly unknown[]): Promise<JsonValue> {
  const capability = 'net.fetch';
  const raw = args[0];
  scope.require('network', capability, redactedTarget(raw));
  let url: URL;
  try {
    if (typeof raw !== 'string') throw new TypeError('not a string');
    url = new URL(raw);
  } catch {
    throw scope.deny(capability, redactedTarget(raw), 'EINVAL', `net.fetch: ${redactedTarget(raw)} is not a valid absolute URL`);
  }
  const init = readInit(args[1], scope);
  const deadline = Date.now() + init.timeoutMs;
  if (scope.openConnections >= scope.spec.limits.max_network_connections) {
    throw scope.deny(
      capability,
      redactedUrl(url),
      'EMFILE',
      `net.fetch: too many connections open at once (limit ${scope.spec.limits.max_network_connections})`,
    );
  }
  const stubs = scope.spec.stubs?.fetch;
  if (stubs !== undefined) return stubbedFetch(scope, url, init.method, stubs);
  scope.openConnections += 1;
  try {
    for (let hop = 0; ; hop++) {
      const target = await checkTarget(scope, url);
      let response: IncomingMessage;
      try {
        response = await send(url, init, target, deadline);
      } catch (error) {
        if (error instanceof CapabilityError) throw error;
        throw new CapabilityError(
          'ECONNREFUSED',
          `net.fetch: could not reach ${redactedUrl(url)} (${(error as NodeJS.ErrnoException).code ?? 'network error'})`,
        );
      }
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location !== undefined) {
        response.resume();
        if (hop >= MAX_REDIRECTS)
          throw new CapabilityError('ELOOP', `net.fetch: more than ${MAX_REDIRECTS} redirects from ${redactedUrl(url)}`);
        scope.audit(capability, redactedUrl(url), true, `redirected (${status})`);
        url = new URL(location, url);
        if (status === 303 || ((status === 301 || status === 302) && init.method === 'POST')) {
          init.method = 'GET';
          init.body = undefined;
        }
        continue;
      }
      const body = init.method === 'HEAD' ? '' : await readBody(response, url, deadline);
      scope.audit(capability, redactedUrl(url), true);
      return { ok: status >= 200 && status < 300, status, url: url.href, headers: headersOf(response), body };
    }
  } finally {
    scope.openConnections -= 1;
  }
}
