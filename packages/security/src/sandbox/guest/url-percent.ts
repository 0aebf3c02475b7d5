// The URL standard's percent-encode sets and percent-decoding, over UTF-8.
import { TextDecoder, utf8Bytes } from './text-encoding';

/** Whether a code point below U+0080 is percent-encoded; every code point above U+007E is. */
export type EncodeSet = (code: number) => boolean;

function setOf(base: EncodeSet, extra: string): EncodeSet {
  const codes = new Set(Array.from(extra, (char) => char.charCodeAt(0)));
  return (code) => base(code) || codes.has(code);
}

export const C0_CONTROL_SET: EncodeSet = (code) => code < 0x20 || code > 0x7e;
export const FRAGMENT_SET = setOf(C0_CONTROL_SET, ' "<>`');
export const QUERY_SET = setOf(C0_CONTROL_SET, ' "#<>');
export const SPECIAL_QUERY_SET = setOf(QUERY_SET, "'");
export const PATH_SET = setOf(QUERY_SET, '?`{}');
export const USERINFO_SET = setOf(PATH_SET, '/:;=@[\\]^|');
export const COMPONENT_SET = setOf(USERINFO_SET, '$%&+,');
export const FORM_SET = setOf(COMPONENT_SET, "!'()~");

const HEX = '0123456789ABCDEF';

/** `text` with every code point in `set` written as %XX of its UTF-8 bytes (space as '+' when asked). */
export function percentEncode(text: string, set: EncodeSet, spaceAsPlus = false): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (spaceAsPlus && code === 0x20) out += '+';
    else if (code < 0x7f && !set(code)) out += char;
    else for (const byte of utf8Bytes(char)) out += `%${HEX[byte >> 4]!}${HEX[byte & 15]!}`;
  }
  return out;
}

/** The bytes of `text` with each %XX (two hex digits) read as one byte. */
export function percentDecode(text: string): Uint8Array {
  const input = utf8Bytes(text);
  const out = new Uint8Array(input.length);
  let o = 0;
  const hex = (byte: number | undefined): number =>
    byte === undefined
      ? -1
      : byte >= 0x30 && byte <= 0x39
        ? byte - 0x30
        : (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66
          ? (byte | 0x20) - 0x57
          : -1;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i]!;
    const high = byte === 0x25 ? hex(input[i + 1]) : -1;
    const low = high >= 0 ? hex(input[i + 2]) : -1;
    if (low >= 0) {
      out[o++] = high * 16 + low;
      i += 2;
    } else out[o++] = byte;
  }
  return out.subarray(0, o);
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** UTF-8 decoding without BOM handling, invalid bytes as U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
