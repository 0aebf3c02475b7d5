// TextEncoder and TextDecoder for UTF-8, the one encoding the sandbox offers (as the Encoding
// standard's TextEncoder does; a TextDecoder for another label throws a RangeError). Lone
// surrogates encode as U+FFFD; invalid bytes decode as U+FFFD, or throw a TypeError when fatal.
import { bytesOf } from './byte-source';

const UTF8_LABELS = new Set(['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8']);

/** UTF-8 of `text`, writing at most `limit` bytes into `out`; how many code units were read and bytes written. */
function encodeUtf8(text: string, out: Uint8Array | number[], limit: number): { read: number; written: number } {
  let written = 0;
  let i = 0;
  for (; i < text.length; i++) {
    let code = text.charCodeAt(i);
    let units = 1;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        units = 2;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (written + size > limit) break;
    if (size === 1) out[written++] = code;
    else if (size === 2) {
      out[written++] = 0xc0 | (code >> 6);
      out[written++] = 0x80 | (code & 0x3f);
    } else if (size === 3) {
      out[written++] = 0xe0 | (code >> 12);
      out[written++] = 0x80 | ((code >> 6) & 0x3f);
      out[written++] = 0x80 | (code & 0x3f);
    } else {
      out[written++] = 0xf0 | (code >> 18);
      out[written++] = 0x80 | ((code >> 12) & 0x3f);
      out[written++] = 0x80 | ((code >> 6) & 0x3f);
      out[written++] = 0x80 | (code & 0x3f);
    }
    i += units - 1;
  }
  return { read: i, written };
}

/** UTF-8 bytes of `text` (lone surrogates as U+FFFD). */
export function utf8Bytes(text: string): Uint8Array {
  const bytes: number[] = [];
  encodeUtf8(text, bytes, Number.POSITIVE_INFINITY);
  return new Uint8Array(bytes);
}

export class TextEncoder {
  get encoding(): 'utf-8' {
    return 'utf-8';
  }
  encode(input: unknown = ''): Uint8Array {
    return utf8Bytes(String(input));
  }
  encodeInto(source: unknown, destination: Uint8Array): { read: number; written: number } {
    if (!(destination instanceof Uint8Array)) throw new TypeError('encodeInto: the destination must be a Uint8Array');
    return encodeUtf8(String(source), destination, destination.length);
  }
}

interface DecodeResult {
  text: string;
  /** Bytes at the end that may start a sequence continued by the next chunk. */
  pending: number[];
}

/** Decodes UTF-8 the way the Encoding standard does (maximal subparts replaced by one U+FFFD each). */
function decodeUtf8(bytes: ArrayLike<number>, fatal: boolean, flush: boolean): DecodeResult {
  const units: number[] = [];
  const parts: string[] = [];
  const fail = (): void => {
    if (fatal) throw new TypeError('The encoded data was not valid utf-8');
    units.push(0xfffd);
  };
  let i = 0;
  while (i < bytes.length) {
    if (units.length > 8192) parts.push(String.fromCharCode.apply(null, units.splice(0)));
    const first = bytes[i]!;
    if (first < 0x80) {
      units.push(first);
      i++;
      continue;
    }
    const needed = first >= 0xc2 && first <= 0xdf ? 1 : first >= 0xe0 && first <= 0xef ? 2 : first >= 0xf0 && first <= 0xf4 ? 3 : -1;
    if (needed < 0) {
      fail();
      i++;
      continue;
    }
    let code = first & (needed === 1 ? 0x1f : needed === 2 ? 0x0f : 0x07);
    let lower = first === 0xe0 ? 0xa0 : first === 0xf0 ? 0x90 : 0x80;
    let upper = first === 0xed ? 0x9f : first === 0xf4 ? 0x8f : 0xbf;
    let seen = 0;
    let j = i + 1;
    for (; seen < needed && j < bytes.length; j++, seen++) {
      const byte = bytes[j]!;
      if (byte < lower || byte > upper) break;
      lower = 0x80;
      upper = 0xbf;
      code = (code << 6) | (byte & 0x3f);
    }
    if (seen === needed) {
      if (code >= 0x10000) units.push(0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff));
      else units.push(code);
      i = j;
    } else if (j >= bytes.length && !flush) {
      parts.push(String.fromCharCode.apply(null, units));
      return { text: parts.join(''), pending: Array.from({ length: bytes.length - i }, (_, k) => bytes[i + k]!) };
    } else {
      fail();
      i = j;
    }
  }
  parts.push(String.fromCharCode.apply(null, units));
  return { text: parts.join(''), pending: [] };
}

export class TextDecoder {
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  #pending: number[] = [];
  #started = false;

  constructor(label: unknown = 'utf-8', options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
    const name = String(label).trim().toLowerCase();
    if (!UTF8_LABELS.has(name)) throw new RangeError(`The encoding '${String(label)}' is not supported in the sandbox (only utf-8)`);
    this.fatal = Boolean(options?.fatal);
    this.ignoreBOM = Boolean(options?.ignoreBOM);
  }

  get encoding(): 'utf-8' {
    return 'utf-8';
  }

  decode(input?: unknown, options: { stream?: boolean } = {}): string {
    const stream = Boolean(options?.stream);
    const fresh = input === undefined ? new Uint8Array(0) : bytesOf(input, 'decode: the input');
    const bytes = this.#pending.length === 0 ? fresh : [...this.#pending, ...Array.from(fresh)];
    let result: DecodeResult;
    try {
      result = decodeUtf8(bytes, this.fatal, !stream);
    } catch (error) {
      this.#pending = [];
      this.#started = false;
      throw error;
    }
    this.#pending = result.pending;
    let text = result.text;
    if (!this.#started && !this.ignoreBOM && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.#started = stream && (this.#started || text.length > 0 || result.text.length > 0);
    if (!stream) this.#pending = [];
    return text;
  }
}
