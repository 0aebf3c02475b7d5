// The Browse routes of `marathon ui`: search is `plugin search`'s own code path, and install is
// the manager's install with the CLI's consent: the first POST's confirm records the summary and
// answers no, so the manager refuses with CONSENT_REQUIRED exactly as on a terminal that says no;
// the page shows the summary's lines and posts again with consent (the CLI's --yes). Locks and
// refusals are the manager's, unchanged.
import type { InstallOptions, PluginManager } from '@marathon/manager';
import { packageNameProblem } from '@marathon/manifest';
import { MarathonError } from '@marathon/plugin-api';
import type { ConsentSummary } from '@marathon/security/trust';
import { searchPlugins, type SearchClient } from '../plugin-search-results';
import { UiError } from './ui-error';

export type BrowseManager = Pick<PluginManager, 'list' | 'install'>;

export interface BrowseRequest {
  query: URLSearchParams;
  /** The parsed JSON body of a POST (undefined without one). */
  body: unknown;
  /** The CLI's registry client; without it the server offers no search. */
  npm?: SearchClient;
}

export interface BrowseAnswer {
  status: number;
  body: unknown;
}

export const BROWSE_PATHS: ReadonlySet<string> = new Set(['/api/search', '/api/install']);

/** The CLI install's question (commands/plugin/install.ts), asked by the page before it posts again. */
export const CONSENT_QUESTION = 'Install it with these permissions?';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 250;

/** Filters the page may ask for that search results cannot answer: they carry no permissions or signature. */
const UNAPPLIABLE_FILTERS: Readonly<Record<string, string>> = {
  no_network: 'search results do not carry permissions; the consent summary shows them before anything is installed',
  signed: 'search results do not carry signatures; the signature is checked when the plugin is installed',
};

/** A version or range as npm reads it, without spaces or anything that would change the spec's meaning. */
const VERSION_PATTERN = /^[0-9A-Za-z.+~^*<>=|-]{1,100}$/;

function limitOf(query: URLSearchParams): number {
  const text = query.get('limit');
  if (text === null || text === '') return DEFAULT_LIMIT;
  const limit = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) throw new UiError('UI_BAD_REQUEST', 400, `limit must be a whole number from 1 to ${MAX_LIMIT}`);
  return limit;
}

async function search(manager: BrowseManager, request: BrowseRequest): Promise<unknown> {
  if (request.npm === undefined) throw new UiError('UI_NOT_FOUND', 404, 'this server was started without a registry to search');
  const { query } = request;
  const sort = query.get('sort');
  if (sort !== null && sort !== 'name')
    throw new UiError('UI_BAD_REQUEST', 400, `sort must be 'name' (or left out for the registry's order)`);
  const found = await searchPlugins(request.npm, manager, { text: query.get('text') ?? '', limit: limitOf(query) });
  const results = sort === 'name' ? [...found.results].sort((a, b) => a.name.localeCompare(b.name)) : found.results;
  // Saying which filters were not applied, rather than fetching every packument to apply them.
  const unapplied = Object.entries(UNAPPLIABLE_FILTERS)
    .filter(([filter]) => query.get(filter) === '1')
    .map(([filter, reason]) => ({ filter, reason }));
  return { registry: found.registry, results, unapplied_filters: unapplied };
}

function installRequest(body: unknown): { spec: string; consent: boolean } {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const { name, version, consent } = fields;
  if (typeof name !== 'string' || packageNameProblem(name) !== undefined)
    throw new UiError('UI_BAD_REQUEST', 400, 'name must be an npm package name');
  if (version !== undefined && (typeof version !== 'string' || !VERSION_PATTERN.test(version)))
    throw new UiError('UI_BAD_REQUEST', 400, 'version must be an npm version or range without spaces');
  if (typeof consent !== 'boolean') throw new UiError('UI_BAD_REQUEST', 400, 'consent must be true or false');
  // What `plugin search` says to run: a registry package is npm:<name>, not a search-path name.
  return { spec: `npm:${name}${version === undefined ? '' : `@${version}`}`, consent };
}

async function install(manager: BrowseManager, body: unknown): Promise<BrowseAnswer> {
  const { spec, consent } = installRequest(body);
  let asked: ConsentSummary | undefined;
  const options: InstallOptions = consent
    ? { yes: true }
    : {
        confirm: (summary) => {
          asked = summary;
          return Promise.resolve(false);
        },
      };
  try {
    return { status: 200, body: { installed: await manager.install(spec, options) } };
  } catch (error) {
    if (!MarathonError.is(error) || error.code !== 'CONSENT_REQUIRED' || asked === undefined) throw error;
    const message = error.message.split('\n')[0] ?? error.message;
    const refusal = { code: error.code, message, details: error.details };
    return { status: 409, body: { error: refusal, consent: { lines: asked.lines, question: CONSENT_QUESTION } } };
  }
}

/** Answers /api/search and /api/install; a refusal is thrown for answerApi to report. */
export async function answerBrowse(manager: BrowseManager, method: string, path: string, request: BrowseRequest): Promise<BrowseAnswer> {
  const wanted = path === '/api/search' ? 'GET' : 'POST';
  if (method !== wanted) throw new UiError('UI_METHOD_NOT_ALLOWED', 405, `${path} takes ${wanted} only`);
  if (path === '/api/search') return { status: 200, body: await search(manager, request) };
  return install(manager, request.body);
}
