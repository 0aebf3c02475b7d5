// structuredClone: the HTML standard's structured serialisation for the types a plugin has here —
// primitives, plain objects, arrays, Date, RegExp, Map, Set, ArrayBuffer and its views, errors and
// the primitive wrappers — keeping shared references and cycles. Functions, symbols, class
// prototypes' methods and anything else throw a DataCloneError; `transfer` is not supported.
import { DOMException } from './dom-exception';

const ERROR_NAMES = new Set(['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError']);
const objectToString = Object.prototype.toString;
const keysOf = Object.keys;

type TypedArrayConstructor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView;
const VIEWS: Readonly<Record<string, TypedArrayConstructor>> = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
};

function uncloneable(what: string): DOMException {
  return new DOMException(`${what} could not be cloned.`, 'DataCloneError');
}

function describe(value: unknown): string {
  if (typeof value === 'function') return `${value.name === '' ? 'function' : value.name}`;
  if (typeof value === 'symbol') return value.toString();
  return objectToString.call(value);
}

function cloneValue(value: unknown, memory: Map<object, unknown>): unknown {
  if (typeof value === 'function' || typeof value === 'symbol') throw uncloneable(describe(value));
  if (typeof value !== 'object' || value === null) return value;
  const known = memory.get(value);
  if (known !== undefined) return known;
  const tag = objectToString.call(value).slice(8, -1);
  switch (tag) {
    case 'Boolean':
    case 'Number':
    case 'String':
    case 'BigInt': {
      const copy = Object((value as { valueOf(): unknown }).valueOf()) as object;
      memory.set(value, copy);
      return copy;
    }
    case 'Date': {
      const copy = new Date((value as Date).getTime());
      memory.set(value, copy);
      return copy;
    }
    case 'RegExp': {
      const copy = new RegExp((value as RegExp).source, (value as RegExp).flags);
      memory.set(value, copy);
      return copy;
    }
    case 'ArrayBuffer': {
      const copy = (value as ArrayBuffer).slice(0);
      memory.set(value, copy);
      return copy;
    }
    case 'DataView': {
      const view = value as DataView;
      const copy = new DataView(cloneValue(view.buffer, memory) as ArrayBuffer, view.byteOffset, view.byteLength);
      memory.set(value, copy);
      return copy;
    }
    case 'Map': {
      const copy = new Map<unknown, unknown>();
      memory.set(value, copy);
      const entries = [...(value as Map<unknown, unknown>)];
      for (const [key, entry] of entries) copy.set(cloneValue(key, memory), cloneValue(entry, memory));
      return copy;
    }
    case 'Set': {
      const copy = new Set<unknown>();
      memory.set(value, copy);
      for (const entry of [...(value as Set<unknown>)]) copy.add(cloneValue(entry, memory));
      return copy;
    }
    case 'Error': {
      const error = value as Error;
      const name = ERROR_NAMES.has(String(error.name)) ? String(error.name) : 'Error';
      const Ctor = (globalThis as unknown as Record<string, new (message?: string) => Error>)[name] ?? Error;
      const copy = new Ctor();
      memory.set(value, copy);
      const message = Object.getOwnPropertyDescriptor(error, 'message');
      if (message !== undefined && 'value' in message) copy.message = String(message.value);
      else delete (copy as { message?: string }).message;
      const stack = Object.getOwnPropertyDescriptor(error, 'stack');
      if (stack !== undefined && 'value' in stack && typeof stack.value === 'string') copy.stack = stack.value;
      if ('cause' in error) (copy as { cause?: unknown }).cause = cloneValue(error.cause, memory);
      return copy;
    }
    case 'Array': {
      const source = value as unknown[];
      const copy: unknown[] = new Array(source.length);
      memory.set(value, copy);
      for (const key of keysOf(source))
        (copy as unknown as Record<string, unknown>)[key] = cloneValue((source as unknown as Record<string, unknown>)[key], memory);
      return copy;
    }
    case 'Object': {
      const copy: Record<string, unknown> = {};
      memory.set(value, copy);
      for (const key of keysOf(value)) copy[key] = cloneValue((value as Record<string, unknown>)[key], memory);
      return copy;
    }
    default: {
      const View = VIEWS[tag];
      if (View !== undefined && ArrayBuffer.isView(value)) {
        const view = value as unknown as { buffer: ArrayBuffer; byteOffset: number; length: number };
        const copy = new View(cloneValue(view.buffer, memory) as ArrayBuffer, view.byteOffset, view.length);
        memory.set(value, copy);
        return copy;
      }
      throw uncloneable(describe(value));
    }
  }
}

export function structuredClone<T>(value: T, options?: { transfer?: unknown[] }): T {
  if (arguments.length === 0) throw new TypeError('structuredClone: 1 argument required, but only 0 present');
  if (options?.transfer !== undefined && [...options.transfer].length > 0) {
    throw new DOMException('structuredClone: transferring is not supported in the sandbox', 'DataCloneError');
  }
  return cloneValue(value, new Map()) as T;
}
