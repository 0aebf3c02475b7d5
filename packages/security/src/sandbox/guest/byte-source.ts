// Reading the bytes of a BufferSource (an ArrayBuffer or any view on one) as the web APIs accept it.

/** The bytes `source` covers, as a view (not a copy); a TypeError for anything else. */
export function bytesOf(source: unknown, what: string): Uint8Array {
  if (source instanceof ArrayBuffer || source instanceof SharedArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  throw new TypeError(`${what} must be an ArrayBuffer, a typed array or a DataView`);
}
