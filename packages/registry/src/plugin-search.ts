// Finding Marathon plugins through a registry's search API (`/-/v1/search`), whatever else the
// registry holds. Asking for `limit` results and keeping the plugins among them missed plugins on
// any registry with more than a few packages (a Verdaccio with an uplink showed 2 of 5, and
// `--limit 2` none): so the search asks for plugins where the registry can tell them apart, and
// otherwise pages through what it finds until `limit` plugins are found or the results run out.
//
// How registries answer (checked against npmjs's documented API and Verdaccio 6.5's source):
// - npmjs understands the qualifier `keywords:marathon-plugin`: every result is a plugin.
// - Verdaccio matches each word of the text against names and descriptions only (a qualifier
//   matches nothing), in storage order, and with an uplink puts the uplink's page of results
//   first. It answers `objects.slice(from, size)`, so a second page asked as (from 250, size 250)
//   comes back empty: it is asked again as (from 250, size 500), the way it counts.
import { packageNameProblem } from '@marathon/manifest';
import { PLUGIN_KEYWORD } from './plugin-package';

export interface SearchResult {
  name: string;
  version: string;
  description: string;
  keywords: string[];
}

/** One request to `/-/v1/search`: the `objects` it answered (an empty list when it has none). */
export type SearchRequest = (text: string, from: number, size: number) => Promise<unknown[]>;

/** npmjs's largest page. */
const PAGE_SIZE = 250;
/** Pages read per query at most: 2,000 packages looked at before giving up on finding more plugins. */
const MAX_PAGES = 8;

/** The plugin a search result describes, or undefined when it is not one (or could not be installed). */
function pluginOf(entry: unknown): SearchResult | undefined {
  const pkg = (typeof entry === 'object' && entry !== null ? (entry as { package?: unknown }).package : undefined) as
    Record<string, unknown> | undefined;
  if (typeof pkg !== 'object' || pkg === null) return undefined;
  if (!Array.isArray(pkg.keywords) || !pkg.keywords.includes(PLUGIN_KEYWORD)) return undefined;
  // A result that could not be installed (its name is no package name) is not shown.
  if (typeof pkg.name !== 'string' || packageNameProblem(pkg.name) !== undefined) return undefined;
  const tags = pkg['dist-tags'] as Record<string, unknown> | undefined;
  const latest = typeof tags?.latest === 'string' ? tags.latest : '';
  return {
    name: pkg.name,
    version: typeof pkg.version === 'string' ? pkg.version : latest,
    description: typeof pkg.description === 'string' ? pkg.description : '',
    keywords: (pkg.keywords as unknown[]).filter((word): word is string => typeof word === 'string'),
  };
}

/** The plugins among the results of one query, paging until `limit` are found, the results end, or MAX_PAGES. */
async function collect(request: SearchRequest, text: string, limit: number, pageSize: number): Promise<SearchResult[]> {
  const found = new Map<string, SearchResult>();
  let from = 0;
  let sizeCountsFromZero = false;
  for (let page = 0; page < MAX_PAGES && found.size < limit; page++) {
    let objects = await request(text, from, sizeCountsFromZero ? from + pageSize : pageSize);
    if (objects.length === 0 && from > 0 && !sizeCountsFromZero) {
      // The previous page was full and this one is empty: the end, or a registry that reads
      // `size` as where the page ends (Verdaccio). Asked its way; a registry that refuses a size
      // that large has no more results either.
      objects = await request(text, from, from + pageSize).catch(() => []);
      sizeCountsFromZero = objects.length > 0;
    }
    for (const entry of objects) {
      const plugin = pluginOf(entry);
      // A registry with an uplink may list a package twice (its own copy and the uplink's).
      if (plugin !== undefined && !found.has(plugin.name)) found.set(plugin.name, plugin);
    }
    if (objects.length < pageSize) break;
    from += objects.length;
  }
  return [...found.values()].slice(0, limit);
}

/**
 * Up to `limit` plugins matching `text` (every plugin when it is empty). Asks for the
 * marathon-plugin keyword first; when that finds nothing and the registry shows it does not
 * understand the qualifier, asks for the words alone and keeps the plugins among the results.
 */
export async function searchPlugins(request: SearchRequest, text: string, limit: number): Promise<SearchResult[]> {
  const words = text.trim().split(/\s+/).filter(Boolean).join(' ');
  const qualifier = `keywords:${PLUGIN_KEYWORD}`;
  // Where the qualifier works every result is a plugin: pages of `limit` suffice.
  const tagged = await collect(request, words === '' ? qualifier : `${qualifier} ${words}`, limit, Math.min(PAGE_SIZE, limit));
  if (tagged.length > 0) return tagged;
  // Nothing: no plugin matches the words, or the registry matched the qualifier as text. A
  // registry that finds plugins by the qualifier alone understands it, and the answer stands.
  if (words !== '' && (await request(qualifier, 0, 1)).some((entry) => pluginOf(entry) !== undefined)) return [];
  return collect(request, words, limit, PAGE_SIZE);
}
