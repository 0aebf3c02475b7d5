// Reading raw, unvalidated manifest input without running anything in it: the cross-field rules
// look at input zod may have refused, which can hold getters or proxies.
export type Raw = Record<string, unknown>;

/** An own data property's value, or undefined; never runs a getter or reaches the prototype. */
export function own(object: Raw, key: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
}

export function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
