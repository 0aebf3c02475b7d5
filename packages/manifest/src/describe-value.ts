/** "a string", "an array", "null": how a value's kind reads in a message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a number';
    case 'bigint':
      return 'a bigint';
    default:
      return `a ${typeof value}`;
  }
}

/** A short, safe rendering of a user-supplied value for messages. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : describeValue(value);
  const clipped = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `'${clipped.replace(/[\u0000-\u001f\u007f]/g, '?')}'`;
}
