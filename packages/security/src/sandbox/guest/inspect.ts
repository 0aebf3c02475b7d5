// How console shows values: like Node's util.inspect for the common cases, within a budget of
// characters that bounds the work as well as the text. Getters are shown, not called; cycles,
// depth and long containers are cut short, so a console call with a cyclic or huge argument stays
// small and quick.

const MAX_DEPTH = 2;
const MAX_ITEMS = 100;
const objectToString = Object.prototype.toString;
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const objectKeys = Object.keys;
const getPrototypeOf = Object.getPrototypeOf;

/** A character budget shared by every part of one console line. */
export class Budget {
  constructor(public left: number) {}
  get spent(): boolean {
    return this.left <= 0;
  }
  take(text: string): string {
    const kept = text.length <= this.left ? text : text.slice(0, Math.max(0, this.left));
    this.left -= text.length;
    return kept;
  }
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function tagOf(value: object): string {
  return objectToString.call(value).slice(8, -1);
}

function constructorName(value: object): string | undefined {
  try {
    const proto: unknown = getPrototypeOf(value);
    if (proto === null) return '[Object: null prototype]';
    const descriptor = getOwnPropertyDescriptor(proto, 'constructor');
    const ctor: unknown = descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
    return typeof ctor === 'function' && typeof ctor.name === 'string' ? ctor.name : undefined;
  } catch {
    return undefined;
  }
}

function errorText(error: Error): string {
  const descriptor = getOwnPropertyDescriptor(error, 'stack');
  const stack: unknown = descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
  const head = `${String(error.name)}: ${String(error.message)}`;
  return typeof stack === 'string' && stack !== '' ? `${head}\n${stack.replace(/\n$/, '')}` : head;
}

function primitive(value: unknown, nested: boolean): string | undefined {
  switch (typeof value) {
    case 'string':
      return nested ? quote(value.length > 10_000 ? value.slice(0, 10_000) : value) : value;
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${String(value)}n`;
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function': {
      const name = typeof value.name === 'string' && value.name !== '' ? value.name : '(anonymous)';
      return /^class[\s{]/.test(Function.prototype.toString.call(value).slice(0, 6)) ? `[class ${name}]` : `[Function: ${name}]`;
    }
    default:
      return value === null ? 'null' : undefined;
  }
}

function entriesOf(value: object, budget: Budget, seen: object[], depth: number): string[] {
  const parts: string[] = [];
  const keys = objectKeys(value);
  for (let i = 0; i < keys.length; i++) {
    if (budget.spent) break;
    if (i === MAX_ITEMS) {
      parts.push(budget.take(`... ${keys.length - MAX_ITEMS} more properties`));
      break;
    }
    const key = keys[i]!;
    const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
    const descriptor = getOwnPropertyDescriptor(value, key);
    let shown: string;
    if (descriptor === undefined) continue;
    if (!('value' in descriptor))
      shown = descriptor.set === undefined ? '[Getter]' : descriptor.get === undefined ? '[Setter]' : '[Getter/Setter]';
    else shown = show(descriptor.value, budget, seen, depth + 1);
    parts.push(`${budget.take(`${name}: `)}${shown}`);
  }
  return parts;
}

function itemsOf(items: ArrayLike<unknown>, budget: Budget, show1: (item: unknown) => string): string[] {
  const parts: string[] = [];
  const length = items.length;
  for (let i = 0; i < length; i++) {
    if (budget.spent) break;
    if (i === MAX_ITEMS) {
      parts.push(budget.take(`... ${length - MAX_ITEMS} more items`));
      break;
    }
    parts.push(show1(items[i]));
  }
  return parts;
}

function wrap(prefix: string, open: string, parts: string[], close: string): string {
  const body = parts.length === 0 ? `${open}${close}` : `${open} ${parts.join(', ')} ${close}`;
  return prefix === '' ? body : `${prefix} ${body}`;
}

function showObject(value: object, budget: Budget, seen: object[], depth: number): string {
  const tag = tagOf(value);
  if (value instanceof Error || tag === 'Error') return budget.take(errorText(value as Error));
  if (tag === 'Date') {
    const time = (value as Date).getTime();
    return budget.take(time === time ? (value as Date).toISOString() : 'Invalid Date');
  }
  if (tag === 'RegExp') return budget.take(String(value));
  const name = constructorName(value);
  if (depth > MAX_DEPTH) return budget.take(Array.isArray(value) ? '[Array]' : `[${name ?? 'Object'}]`);
  seen.push(value);
  try {
    const item = (entry: unknown): string => show(entry, budget, seen, depth + 1);
    if (Array.isArray(value)) return wrap('', '[', itemsOf(value, budget, item), ']');
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const items = value as unknown as ArrayLike<unknown>;
      return wrap(`${name ?? tag}(${items.length})`, '[', itemsOf(items, budget, item), ']');
    }
    if (value instanceof Map) {
      const pairs: string[] = [];
      for (const [key, entry] of value) {
        if (budget.spent || pairs.length === MAX_ITEMS) break;
        pairs.push(`${item(key)}${budget.take(' => ')}${item(entry)}`);
      }
      return wrap(`Map(${value.size})`, '{', pairs, '}');
    }
    if (value instanceof Set) {
      const members: string[] = [];
      for (const entry of value) {
        if (budget.spent || members.length === MAX_ITEMS) break;
        members.push(item(entry));
      }
      return wrap(`Set(${value.size})`, '{', members, '}');
    }
    if (value instanceof ArrayBuffer) return budget.take(`ArrayBuffer { byteLength: ${value.byteLength} }`);
    if (value instanceof Promise) return budget.take('Promise {}');
    const prefix = name === undefined || name === 'Object' ? '' : name;
    return wrap(prefix, '{', entriesOf(value, budget, seen, depth), '}');
  } finally {
    seen.pop();
  }
}

function show(value: unknown, budget: Budget, seen: object[], depth: number): string {
  if (budget.spent) return '';
  const simple = primitive(value, depth > 0);
  if (simple !== undefined) return budget.take(simple);
  const object = value as object;
  if (seen.includes(object)) return budget.take('[Circular]');
  return showObject(object, budget, seen, depth);
}

/** `value` as console shows it; a string at the top level is shown as it is. */
export function inspect(value: unknown, budget: Budget): string {
  try {
    return show(value, budget, [], 0);
  } catch (error) {
    return budget.take(`[value that cannot be shown: ${String(error instanceof Error ? error.message : error)}]`);
  }
}
