// atob and btoa (the HTML standard's forgiving base64), plus the byte-level base64 the other
// guest modules use to pass bytes to the host.
import { DOMException } from './dom-exception';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES: number[] = [];
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** Base64 of bytes (0–255 each). */
export function encodeBytes(bytes: ArrayLike<number>): string {
  const out: string[] = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out.push(ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out.push(`${ALPHABET[n >> 18]!}${ALPHABET[(n >> 12) & 63]!}==`);
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out.push(`${ALPHABET[n >> 18]!}${ALPHABET[(n >> 12) & 63]!}${ALPHABET[(n >> 6) & 63]!}=`);
  }
  return out.join('');
}

/** The bytes of forgiving-base64 `text`, or undefined when it is not valid base64. */
export function decodeBytes(text: string): Uint8Array | undefined {
  let data = text.replace(/[\t\n\f\r ]/g, '');
  if (data.length % 4 === 0) data = data.replace(/==?$/, '');
  if (data.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(data)) return undefined;
  const out = new Uint8Array(Math.floor((data.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < data.length; i++) {
    buffer = (buffer << 6) | VALUES[data.charCodeAt(i)]!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}

export function btoa(data: unknown): string {
  if (arguments.length === 0) throw new TypeError('btoa: 1 argument required, but only 0 present');
  const text = String(data);
  const bytes: number[] = new Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) throw new DOMException('btoa: the string contains characters outside of the Latin1 range', 'InvalidCharacterError');
    bytes[i] = code;
  }
  return encodeBytes(bytes);
}

export function atob(data: unknown): string {
  if (arguments.length === 0) throw new TypeError('atob: 1 argument required, but only 0 present');
  const bytes = decodeBytes(String(data));
  if (bytes === undefined) throw new DOMException('atob: the string to be decoded is not correctly encoded', 'InvalidCharacterError');
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + 8192)));
  return text;
}
