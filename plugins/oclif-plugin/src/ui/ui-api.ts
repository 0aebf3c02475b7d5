// The JSON routes of `marathon ui`: each is the same manager call a CLI command makes, so the
// page shows and changes exactly what `marathon plugin …` would. Plugin text goes out as JSON
// data; rendering it safely is the page's job (ui-script.ts uses textContent only).
import type { PluginManager } from '@marathon/manager';
import { MarathonError } from '@marathon/plugin-api';
import { isoTime } from '../json-time';
import { BROWSE_PATHS, answerBrowse, type BrowseRequest } from './browse-api';
import type { UiSession } from './session-token';
import { UiError } from './ui-error';

/** The manager calls the UI makes, and nothing else. */
export type UiManager = Pick<
  PluginManager,
  'list' | 'info' | 'settings' | 'authority' | 'performance' | 'eventHistory' | 'enable' | 'disable' | 'install'
>;

export interface ApiAnswer {
  status: number;
  body: unknown;
}

/** How many of the newest events /api/activity returns. */
export const ACTIVITY_LIMIT = 100;

/** Refusals of the manager that say the request names something that is not there. */
const NOT_FOUND_CODES = new Set(['NOT_INSTALLED', 'PACKAGE_NOT_FOUND']);

function pluginName(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new UiError('UI_BAD_REQUEST', 400, `'${encoded}' is not a plugin name`);
  }
}

async function plugins(manager: UiManager): Promise<unknown> {
  const records = await manager.list();
  return {
    plugins: records.map((record) => ({
      name: record.name,
      version: record.version,
      status: record.status,
      // A quarantined plugin is in error: the reason says why, and how to bring it back.
      ...(record.error === undefined ? {} : { error: record.error }),
      description: record.manifest.description,
      permissions: record.manifest.permissions,
      signature: record.signature,
    })),
  };
}

async function pluginDetails(manager: UiManager, name: string): Promise<unknown> {
  const info = await manager.info(name);
  const { integrity: _digests, ...record } = info.record;
  return {
    plugin: record,
    loaded: info.loaded,
    timings: info.timings ?? null,
    metrics: info.metrics,
    settings: await manager.settings(name),
    authority: await manager.authority(name),
  };
}

async function activity(manager: UiManager): Promise<unknown> {
  const events = (await manager.eventHistory()).slice(-ACTIVITY_LIMIT);
  return { events: events.map((event) => ({ ...event, timestamp: isoTime(event.timestamp) })) };
}

async function route(manager: UiManager, method: string, path: string, session: UiSession): Promise<unknown> {
  const parts = path.split('/').slice(3);
  if (method === 'GET') {
    if (path === '/api/session') return { csrf_token: session.csrfToken };
    if (path === '/api/plugins') return plugins(manager);
    if (path === '/api/performance') return manager.performance();
    if (path === '/api/activity') return activity(manager);
    if (parts.length === 1 && path.startsWith('/api/plugins/')) return pluginDetails(manager, pluginName(parts[0]!));
  }
  if (method === 'POST' && parts.length === 2 && path.startsWith('/api/plugins/')) {
    const name = pluginName(parts[0]!);
    if (parts[1] === 'enable') return { enabled: await manager.enable(name) };
    if (parts[1] === 'disable') return { disabled: await manager.disable(name) };
  }
  throw new UiError('UI_NOT_FOUND', 404, `no API route ${method} ${path}`);
}

/** Answers an API request; a refusal becomes `{ error: { code, message } }` with a 4xx status. */
export async function answerApi(
  manager: UiManager,
  method: string,
  path: string,
  session: UiSession,
  browse: BrowseRequest = { query: new URLSearchParams(), body: undefined },
): Promise<ApiAnswer> {
  try {
    if (BROWSE_PATHS.has(path)) return await answerBrowse(manager, method, path, browse);
    return { status: 200, body: await route(manager, method, path, session) };
  } catch (error) {
    if (error instanceof UiError) return { status: error.status, body: { error: { code: error.code, message: error.message } } };
    if (MarathonError.is(error)) {
      const status = NOT_FOUND_CODES.has(error.code) ? 404 : 409;
      // The message's first line; the findings under it are `details`, as in the CLI's --json errors.
      const message = error.message.split('\n')[0] ?? error.message;
      return { status, body: { error: { code: error.code, message, details: error.details } } };
    }
    throw error;
  }
}
