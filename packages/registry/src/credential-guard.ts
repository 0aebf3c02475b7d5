/// <reference path="./vendor-types.d.ts" />
// Registry credentials go only to the origin — scheme, host and port — they were configured for.
// npm-registry-fetch attaches a token by the request's URL, but then make-fetch-happen follows
// redirects itself and drops the Authorization header only when the host *name* changes: a
// registry (or a tarball URL on it) answering 302 to another port or to plain http of the same
// host receives the token there. npm-registry-fetch passes no redirect option through, so the
// check sits where every request, first or redirected, must pass: the HTTP agent. Each request's
// Authorization header is kept only if it is one the configuration gives that exact origin.
//
// The agents are @npmcli/agent's (what npm-registry-fetch would have picked; loaded by npm-agent.ts,
// which URL downloads use too), so timeouts and proxies behave as in npm; proxies are the ones
// readNpmConfig allowed (user config, environment).
import type { Agent as HttpAgent, ClientRequest, RequestOptions } from 'node:http';
import { npmAgentModule } from './npm-agent';
import type { NpmSettings } from './npm-config';

/** What npm-registry-fetch / minipass-fetch accept as `agent`: one per request URL. */
export type AgentForUrl = (url: URL) => HttpAgent;

const DEFAULT_PORT: Readonly<Record<string, string>> = { 'https:': '443', 'http:': '80' };
const AUTH_KEY = /^(\/\/.+):(?:_authToken|_auth|username|_password)$/;

/** `scheme://host:port`, lowercased, brackets off IPv6 hosts, the default port written out. */
export function originOf(protocol: string, host: string, port: string | number | undefined): string {
  const scheme = protocol.toLowerCase();
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const explicit = port === undefined || port === '' ? undefined : String(port);
  return `${scheme}//${name}:${explicit ?? DEFAULT_PORT[scheme] ?? ''}`;
}

function urlOrigin(url: URL): string {
  return originOf(url.protocol, url.hostname, url.port);
}

const registryFetch = (): typeof import('npm-registry-fetch') => require('npm-registry-fetch') as typeof import('npm-registry-fetch');

function headerOf(auth: { token?: string | null; auth?: string | null }): string | undefined {
  if (typeof auth.token === 'string' && auth.token !== '') return `Bearer ${auth.token}`;
  if (typeof auth.auth === 'string' && auth.auth !== '') return `Basic ${auth.auth}`;
  return undefined;
}

/**
 * The Authorization header values each origin may receive: for every configured registry, the
 * credentials npm would send it (including a `user:password@` in its URL); for every other auth
 * line (`//host/path/:_authToken`), its credentials at that host over https — or over the scheme
 * of a registry configured on that same host and port.
 */
export function allowedCredentials(settings: NpmSettings): Map<string, Set<string>> {
  const allowed = new Map<string, Set<string>>();
  const allow = (origin: string, header: string | undefined) => {
    if (header === undefined) return;
    const set = allowed.get(origin) ?? new Set<string>();
    set.add(header);
    allowed.set(origin, set);
  };
  const registries = new Set<string>([settings.registry]);
  for (const [key, value] of Object.entries(settings.options)) {
    if (/^@[^:]+:registry$/.test(key) && typeof value === 'string') registries.add(value);
  }
  const schemeOf = new Map<string, string>();
  for (const registry of registries) {
    let url: URL;
    try {
      url = new URL(registry);
    } catch {
      continue;
    }
    schemeOf.set(url.host.toLowerCase(), url.protocol);
    allow(urlOrigin(url), headerOf(registryFetch().getAuth(registry, { ...settings.options, registry })));
    if (url.username !== '' || url.password !== '') {
      // What Node sends for a URL's user part (minipass-fetch passes it as written).
      allow(urlOrigin(url), `Basic ${Buffer.from(`${url.username}:${url.password}`).toString('base64')}`);
      allow(
        urlOrigin(url),
        `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`,
      );
    }
  }
  for (const key of Object.keys(settings.options)) {
    const nerf = AUTH_KEY.exec(key)?.[1];
    if (nerf === undefined) continue;
    let url: URL;
    try {
      url = new URL(`https:${nerf}`);
    } catch {
      continue;
    }
    const scheme = schemeOf.get(url.host.toLowerCase()) ?? 'https:';
    const at = `${scheme}${nerf}`;
    allow(urlOrigin(new URL(at)), headerOf(registryFetch().getAuth(at, { ...settings.options, registry: at })));
  }
  return allowed;
}

/**
 * An `agent` option for npm-registry-fetch: per scheme one @npmcli/agent Agent that removes an
 * Authorization header its request's origin was not configured for, before anything is sent.
 */
export function credentialGuard(settings: NpmSettings, options: { timeout: number }): AgentForUrl {
  const agent = npmAgentModule();
  const allowed = allowedCredentials(settings);
  class CredentialGuardAgent extends agent.Agent {
    override addRequest(request: ClientRequest, requestOptions: RequestOptions): void {
      const header = request.getHeader('authorization');
      if (header !== undefined) {
        const origin = originOf(
          requestOptions.protocol ?? request.protocol,
          requestOptions.hostname ?? requestOptions.host ?? request.host,
          requestOptions.port ?? undefined,
        );
        if (allowed.get(origin)?.has(String(header)) !== true) request.removeHeader('authorization');
      }
      super.addRequest(request, requestOptions);
    }
  }
  const make = (proxy: string | undefined) =>
    new CredentialGuardAgent({
      timeout: options.timeout,
      ...(proxy === undefined ? {} : { proxy }),
      ...(settings.proxy.noProxy === undefined ? {} : { noProxy: settings.proxy.noProxy }),
    });
  const https = make(settings.proxy.https);
  const http = make(settings.proxy.http);
  return (url) => (url.protocol === 'https:' ? https : http);
}
