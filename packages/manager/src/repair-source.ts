// Where `plugin repair` fetches a plugin again: the source recorded at install, pinned as it was
// recorded — the exact npm version, the archive or URL with the digest it had, the folder typed, or
// the search-path folder the name was found in (never wherever the name is found today).
import type { InstalledPlugin } from '@marathon/registry';

export interface RepairRequest {
  /** The install request that fetches the recorded source. */
  request: string;
  /** For a search-path install: the folder it was found in. */
  at?: string;
  /** The archive's recorded SRI digest, checked against what is fetched. */
  integrity?: string;
}

export function repairRequest(source: InstalledPlugin['source']): RepairRequest {
  const integrity = source.integrity === undefined ? {} : { integrity: source.integrity };
  switch (source.kind) {
    case 'npm':
      return { request: `npm:${source.spec}`, ...integrity };
    case 'search-path':
      return { request: source.spec, ...(source.location === undefined ? {} : { at: source.location }), ...integrity };
    default:
      return { request: source.spec, ...integrity };
  }
}

/** What a message about a changed installed copy ends with: the one command that puts it back. */
export function repairHint(name: string): string {
  return `run marathon plugin repair ${name}`;
}
