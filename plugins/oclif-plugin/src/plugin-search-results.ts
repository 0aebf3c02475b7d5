// `plugin search`'s one code path, shared by the command and `marathon ui`'s Browse: the
// registry's plugins for some words, each with the version installed here (or null) and the
// command that installs it (a plain name is looked up in the search paths, so it says npm:<name>).
import type { PluginManager } from '@marathon/manager';
import type { NpmRegistryClient, SearchResult } from '@marathon/registry';

/** The registry client calls a search makes. */
export type SearchClient = Pick<NpmRegistryClient, 'search' | 'redact' | 'settings'>;

export interface FoundPlugin extends SearchResult {
  /** The version installed here, or null. */
  installed: string | null;
  install: string;
}

export interface PluginSearch {
  /** The registry searched, without any user:password its URL carries. */
  registry: string;
  results: FoundPlugin[];
}

export interface SearchQuery {
  text: string;
  limit: number;
  /** The --registry flag, when one was given: the install command then names it too. */
  registryFlag?: string;
}

export async function searchPlugins(npm: SearchClient, manager: Pick<PluginManager, 'list'>, query: SearchQuery): Promise<PluginSearch> {
  const found = await npm.search(query.text, query.limit);
  const installed = new Map((await manager.list()).map((plugin) => [plugin.name, plugin.version]));
  const registry = npm.redact(npm.settings.registry);
  const from = query.registryFlag === undefined ? '' : ` --registry ${registry}`;
  const results = found.map((result) => ({
    ...result,
    installed: installed.get(result.name) ?? null,
    install: `marathon plugin install npm:${result.name}${from}`,
  }));
  return { registry, results };
}
