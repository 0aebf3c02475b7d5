// Every timestamp in --json output is an ISO 8601 string in UTC (`2026-05-01T12:00:00.000Z`),
// whichever command prints it. The history files keep what they have always held — epoch
// milliseconds in the event history, the audit trail and the plugin logs (`timestamp`, `time`),
// ISO strings in state.json (`installed_at`) and timings.json (`at`) — so that files written by
// earlier versions read the same; the commands convert as they print (docs/cli.md, "Output and
// errors"). Human output shows the same ISO strings.

/** An epoch-milliseconds time as an ISO 8601 string; a value that is no time is shown as it is. */
export function isoTime(ms: number): string {
  const date = new Date(ms);
  return Number.isFinite(date.getTime()) ? date.toISOString() : String(ms);
}

/** A copy of `record` with its epoch-milliseconds field `key` as an ISO 8601 string. */
export function withIsoTime<T extends { [P in K]: number }, K extends keyof T & string>(
  record: T,
  key: K,
): Omit<T, K> & { [P in K]: string } {
  return { ...record, [key]: isoTime(record[key]) } as Omit<T, K> & { [P in K]: string };
}
