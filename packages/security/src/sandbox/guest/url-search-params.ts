// URLSearchParams: application/x-www-form-urlencoded name-value pairs. A URL's searchParams is
// linked to it: changing one changes the other (linkSearchParams, resetSearchParams).
import { FORM_SET, percentDecode, percentEncode, utf8Decode } from './url-percent';

type Pair = [string, string];

interface State {
  list: Pair[];
  /** The URL this object belongs to: told the new query after every change. */
  update?: (query: string) => void;
}

const states = new WeakMap<URLSearchParams, State>();

function stateOf(params: URLSearchParams): State {
  const state = states.get(params);
  if (state === undefined) throw new TypeError('Illegal invocation: not a URLSearchParams');
  return state;
}

function decode(text: string): string {
  return utf8Decode(percentDecode(text.replace(/\+/g, ' ')));
}

export function parseForm(query: string): Pair[] {
  const pairs: Pair[] = [];
  for (const sequence of query.split('&')) {
    if (sequence === '') continue;
    const at = sequence.indexOf('=');
    pairs.push(at < 0 ? [decode(sequence), ''] : [decode(sequence.slice(0, at)), decode(sequence.slice(at + 1))]);
  }
  return pairs;
}

function serializeForm(pairs: Pair[]): string {
  return pairs.map(([name, value]) => `${percentEncode(name, FORM_SET, true)}=${percentEncode(value, FORM_SET, true)}`).join('&');
}

/** Scalar-value string: lone surrogates become U+FFFD, as WebIDL's USVString does. */
function usv(value: unknown): string {
  return String(value).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

export class URLSearchParams {
  constructor(init: unknown = '') {
    const list: Pair[] = [];
    if (init instanceof URLSearchParams) list.push(...stateOf(init).list.map(([n, v]): Pair => [n, v]));
    else if (typeof init === 'object' && init !== null) {
      const iterator = (init as { [Symbol.iterator]?: unknown })[Symbol.iterator];
      if (typeof iterator === 'function') {
        for (const pair of init as Iterable<unknown>) {
          const items = typeof pair === 'object' && pair !== null ? [...(pair as Iterable<unknown>)] : [];
          if (items.length !== 2) throw new TypeError("Failed to construct 'URLSearchParams': each pair must have exactly two items");
          list.push([usv(items[0]), usv(items[1])]);
        }
      } else {
        for (const key of Object.keys(init)) list.push([usv(key), usv((init as Record<string, unknown>)[key])]);
      }
    } else {
      const text = usv(init);
      list.push(...parseForm(text.startsWith('?') ? text.slice(1) : text));
    }
    states.set(this, { list });
  }

  get size(): number {
    return stateOf(this).list.length;
  }

  #changed(): void {
    const state = stateOf(this);
    state.update?.(serializeForm(state.list));
  }

  append(name: unknown, value: unknown): void {
    stateOf(this).list.push([usv(name), usv(value)]);
    this.#changed();
  }

  delete(name: unknown, value?: unknown): void {
    const state = stateOf(this);
    const key = usv(name);
    const only = value === undefined ? undefined : usv(value);
    state.list = state.list.filter(([n, v]) => n !== key || (only !== undefined && v !== only));
    this.#changed();
  }

  get(name: unknown): string | null {
    const key = usv(name);
    return stateOf(this).list.find(([n]) => n === key)?.[1] ?? null;
  }

  getAll(name: unknown): string[] {
    const key = usv(name);
    return stateOf(this)
      .list.filter(([n]) => n === key)
      .map(([, v]) => v);
  }

  has(name: unknown, value?: unknown): boolean {
    const key = usv(name);
    const only = value === undefined ? undefined : usv(value);
    return stateOf(this).list.some(([n, v]) => n === key && (only === undefined || v === only));
  }

  set(name: unknown, value: unknown): void {
    const state = stateOf(this);
    const key = usv(name);
    const index = state.list.findIndex(([n]) => n === key);
    if (index < 0) state.list.push([key, usv(value)]);
    else {
      state.list[index]![1] = usv(value);
      state.list = state.list.filter(([n], i) => n !== key || i === index);
    }
    this.#changed();
  }

  /** Sorts by name in UTF-16 code unit order, keeping the order of equal names. */
  sort(): void {
    const state = stateOf(this);
    state.list = state.list
      .map((pair, index) => ({ pair, index }))
      .sort((a, b) => (a.pair[0] < b.pair[0] ? -1 : a.pair[0] > b.pair[0] ? 1 : a.index - b.index))
      .map(({ pair }) => pair);
    this.#changed();
  }

  forEach(callback: (value: string, name: string, params: URLSearchParams) => void, thisArg?: unknown): void {
    const list = stateOf(this).list;
    for (let i = 0; i < list.length; i++) callback.call(thisArg, list[i]![1], list[i]![0], this);
  }

  *entries(): IterableIterator<[string, string]> {
    const list = stateOf(this).list;
    for (let i = 0; i < list.length; i++) yield [list[i]![0], list[i]![1]];
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  toString(): string {
    return serializeForm(stateOf(this).list);
  }
}

/** A URL's searchParams: holding `query`'s pairs, and telling `update` of every change. */
export function linkSearchParams(query: string | null, update: (query: string) => void): URLSearchParams {
  const params = new URLSearchParams();
  const state = stateOf(params);
  state.list = parseForm(query ?? '');
  state.update = update;
  return params;
}

/** The URL's query changed: its searchParams now hold the new query's pairs (the URL is not told). */
export function resetSearchParams(params: URLSearchParams, query: string | null): void {
  stateOf(params).list = parseForm(query ?? '');
}
