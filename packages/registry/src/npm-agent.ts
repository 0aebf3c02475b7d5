/// <reference path="./vendor-types.d.ts" />
// npm's HTTP agent (@npmcli/agent, the one make-fetch-happen and so pacote use) for requests
// Marathon makes by hand, so that they go through the proxies npm would use — HTTPS_PROXY,
// HTTP_PROXY, NO_PROXY, and `proxy` / `https-proxy` / `noproxy` from the operator's npm
// configuration (readProxySettings) — with npm's own CONNECT and forward-proxy code. Loaded on first
// use: it pulls in the proxy agents and an LRU cache, which a CLI start that downloads nothing
// should not pay for. It is resolved from make-fetch-happen, and the registry's own agent
// (credential-guard.ts) comes from here too, so both paths run the same copy.
import type { Agent as HttpAgent } from 'node:http';
import { dirname } from 'node:path';
import type { ProxySettings } from './npm-config';

type AgentModule = typeof import('@npmcli/agent');
interface ProxyModule {
  /** The proxy URL npm would use for `url`, or null when none applies (none set, or NO_PROXY). */
  getProxy(url: string | URL, options: { proxy?: string; noProxy?: string }): URL | null;
}

let loaded: { agent: AgentModule; proxy: ProxyModule } | undefined;

/** @npmcli/agent, and its proxy module, as make-fetch-happen resolves them (loaded once, on first use). */
function modules(): { agent: AgentModule; proxy: ProxyModule } {
  if (loaded === undefined) {
    const registryFetchDir = dirname(require.resolve('npm-registry-fetch/package.json'));
    const makeFetchDir = dirname(require.resolve('make-fetch-happen/package.json', { paths: [registryFetchDir] }));
    const agentMain = require.resolve('@npmcli/agent', { paths: [makeFetchDir] });
    loaded = {
      agent: require(agentMain) as AgentModule,
      // Not exported by name, but the file the agent itself decides with: the same answer.
      proxy: require(`${dirname(agentMain)}/proxy.js`) as ProxyModule,
    };
  }
  return loaded;
}

/** npm's agent module: the registry's credential guard (credential-guard.ts) subclasses its Agent. */
export function npmAgentModule(): AgentModule {
  return modules().agent;
}

/** The proxy configured for a URL's scheme (npm uses https-proxy for https, else the http one). */
function configuredProxy(url: URL, proxies: ProxySettings): string | undefined {
  return url.protocol === 'https:' ? proxies.https : proxies.http;
}

/**
 * The proxy a request to `url` goes through, or undefined for a direct connection. Only what is
 * given counts: `proxies` is already the environment's fallback (readProxySettings).
 */
export function proxyFor(url: URL, proxies: ProxySettings): URL | undefined {
  const proxy = configuredProxy(url, proxies);
  if (proxy === undefined) return undefined;
  return modules().proxy.getProxy(url, { proxy, ...(proxies.noProxy === undefined ? {} : { noProxy: proxies.noProxy }) }) ?? undefined;
}

/**
 * An agent for one request to `url`: npm's, through `proxies` as npm would route it. No keep-alive
 * (a download is one request per hop) and no timeouts of its own: the caller keeps the clocks.
 */
export function npmAgent(url: URL, proxies: ProxySettings): HttpAgent {
  const proxy = proxyFor(url, proxies);
  // Given no proxy, npm's agent connects directly (only getProxy falls back to the process's
  // HTTP(S)_PROXY): the decision is made above, from `proxies` alone.
  const noProxy = proxies.noProxy === undefined ? {} : { noProxy: proxies.noProxy };
  return new (modules().agent.Agent)({ keepAlive: false, ...(proxy === undefined ? {} : { proxy: proxy.href, ...noProxy }) });
}
