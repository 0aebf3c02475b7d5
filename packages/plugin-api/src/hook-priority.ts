// The range a hook's priority may take. An author's manifest stays inside the narrower range, and
// the operator's override may go past it in both directions, so an operator can always put a
// plugin they trust before or after every plugin an author could write (priority decides order;
// on veto-capable hooks it never decides whether a veto is heard — see chain-rules.ts).

/** The priorities a plugin.json may declare: whole numbers from -1000 to 1000 (default 0). */
export const AUTHOR_PRIORITY_RANGE = Object.freeze({ min: -1000, max: 1000 } as const);

/** The priorities an operator may set (`marathon plugin priority`): whole numbers from -10000 to 10000. */
export const OPERATOR_PRIORITY_RANGE = Object.freeze({ min: -10_000, max: 10_000 } as const);

/** Whether `value` is a whole number inside `range`. */
export function isPriorityIn(value: unknown, range: { readonly min: number; readonly max: number }): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max;
}
