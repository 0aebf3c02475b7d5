import type { HookType } from '@marathon/plugin-api';
import type { MetricsCell } from './metrics';
import type { Handler, HandlerInfo, HandlerOutcome } from './types';

/** A registered handler with everything dispatch needs, resolved once at registration. */
export interface HandlerEntry {
  readonly handler: Handler<never>;
  readonly info: HandlerInfo;
  readonly hook: HookType;
  readonly owner: string;
  readonly priority: number;
  readonly canWrite: boolean;
  readonly timeoutMs: number;
  readonly cell: MetricsCell;
  /** What this handler returning nothing records: shared and frozen, so that costs no allocation. */
  readonly implicit: HandlerOutcome;
  /** Cleared on unregister, so a dispatch already iterating its list skips the handler. */
  active: boolean;
}

/** A copy of `list` with `entry` after every entry of equal or higher priority. */
export function insertByPriority(list: readonly HandlerEntry[], entry: HandlerEntry): HandlerEntry[] {
  let index = list.length;
  while (index > 0 && list[index - 1]!.priority < entry.priority) index -= 1;
  const next = list.slice();
  next.splice(index, 0, entry);
  return next;
}
