// Which hosts a plugin may reach: its manifest's `network.allowed_hosts`, as exact names, IPv4
// addresses, or `*.domain` wildcards that match subdomains (not the domain itself), as in Figma's
// and Extism's allow-lists. Names are compared after the WHATWG URL parser has normalised them
// (lowercase, punycode, numeric and hex IPv4 spellings turned into dotted quads), so no other
// spelling of a host reaches past the list.

/** The host of a URL as the allow-list sees it: lowercase, without brackets or a trailing dot. */
export function normalisedHost(url: URL): string {
  let host = url.hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host.endsWith('.')) host = host.slice(0, -1);
  return host;
}

export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  for (const raw of patterns) {
    const pattern = raw.toLowerCase();
    if (pattern.startsWith('*.')) {
      const suffix = pattern.slice(1);
      if (host.endsWith(suffix) && host.length > suffix.length) return true;
    } else if (host === pattern) {
      return true;
    }
  }
  return false;
}
