// Host parsing and serialisation for URL: domains (lower-cased, NFC, non-ASCII labels as punycode;
// the full UTS #46 mapping table is not included), IPv4 in every spelling the URL standard
// accepts (0x7f.1, 2130706433, …), IPv6 with compression, and opaque hosts of non-special schemes.
import { C0_CONTROL_SET, percentDecode, percentEncode, utf8Decode } from './url-percent';

const FORBIDDEN_HOST = /[\u0000\t\n\r #/:<>?@[\\\]^|]/;
const FORBIDDEN_DOMAIN = /[\u0000-\u001f #%/:<>?@[\\\]^|\u007f]/;

function punycodeDigit(d: number): string {
  return String.fromCharCode(d < 26 ? 97 + d : 22 + d);
}

function adapt(delta: number, points: number, first: boolean): number {
  let d = first ? Math.floor(delta / 700) : delta >> 1;
  d += Math.floor(d / points);
  let k = 0;
  for (; d > 455; k += 36) d = Math.floor(d / 35);
  return k + Math.floor((36 * d) / (d + 38));
}

/** RFC 3492 punycode of one label. */
export function punycode(label: string): string {
  const codes = Array.from(label, (char) => char.codePointAt(0)!);
  let output = codes
    .filter((code) => code < 0x80)
    .map((code) => String.fromCharCode(code))
    .join('');
  const basic = output.length;
  let handled = basic;
  if (basic > 0) output += '-';
  let n = 0x80;
  let delta = 0;
  let bias = 72;
  while (handled < codes.length) {
    let m = Number.POSITIVE_INFINITY;
    for (const code of codes) if (code >= n && code < m) m = code;
    delta += (m - n) * (handled + 1);
    n = m;
    for (const code of codes) {
      if (code < n) delta++;
      if (code !== n) continue;
      let q = delta;
      for (let k = 36; ; k += 36) {
        const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
        if (q < t) break;
        output += punycodeDigit(t + ((q - t) % (36 - t)));
        q = Math.floor((q - t) / (36 - t));
      }
      output += punycodeDigit(q);
      bias = adapt(delta, handled + 1, handled === basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}

function domainToAscii(domain: string): string | null {
  const labels = domain
    .normalize('NFC')
    .toLowerCase()
    .split(/[.\u3002\uff0e\uff61]/);
  const ascii = labels.map((label) => (/^[\u0000-\u007f]*$/.test(label) ? label : `xn--${punycode(label)}`)).join('.');
  return ascii === '' ? null : ascii;
}

function ipv4Number(part: string): number | null {
  let text = part;
  let radix = 10;
  if (/^0[xX]/.test(text)) {
    text = text.slice(2);
    radix = 16;
  } else if (text.length > 1 && text.startsWith('0')) {
    text = text.slice(1);
    radix = 8;
  }
  if (text === '') return 0;
  const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  return valid.test(text) ? parseInt(text, radix) : null;
}

function endsInANumber(domain: string): boolean {
  const parts = domain.split('.');
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
  const last = parts[parts.length - 1]!;
  return /^[0-9]+$/.test(last) || /^0[xX][0-9a-fA-F]*$/.test(last);
}

function parseIpv4(domain: string): string | null {
  const parts = domain.split('.');
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
  if (parts.length > 4 || parts.some((part) => part === '')) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    const value = ipv4Number(part);
    if (value === null) return null;
    numbers.push(value);
  }
  const last = numbers.pop()!;
  if (numbers.some((value) => value > 255) || last >= 256 ** (4 - numbers.length)) return null;
  let address = last;
  numbers.forEach((value, index) => (address += value * 256 ** (3 - index)));
  return [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.');
}

function parseIpv6(input: string): number[] | null {
  const address = [0, 0, 0, 0, 0, 0, 0, 0];
  const chars = Array.from(input);
  const hex = (char: string | undefined): number => (char !== undefined && /^[0-9a-fA-F]$/.test(char) ? parseInt(char, 16) : -1);
  let piece = 0;
  let compress: number | null = null;
  let p = 0;
  if (chars[0] === ':') {
    if (chars[1] !== ':') return null;
    p = 2;
    compress = ++piece;
  }
  while (chars[p] !== undefined) {
    if (piece === 8) return null;
    if (chars[p] === ':') {
      if (compress !== null) return null;
      p++;
      compress = ++piece;
      continue;
    }
    let value = 0;
    let length = 0;
    while (length < 4 && hex(chars[p]) >= 0) {
      value = value * 16 + hex(chars[p]);
      p++;
      length++;
    }
    if (chars[p] === '.') {
      if (length === 0 || piece > 6) return null;
      p -= length;
      let seen = 0;
      while (chars[p] !== undefined) {
        let part: number | null = null;
        if (seen > 0) {
          if (chars[p] === '.' && seen < 4) p++;
          else return null;
        }
        if (!/^[0-9]$/.test(chars[p] ?? '')) return null;
        while (/^[0-9]$/.test(chars[p] ?? '')) {
          const digit = Number(chars[p]);
          if (part === null) part = digit;
          else if (part === 0) return null;
          else part = part * 10 + digit;
          if (part > 255) return null;
          p++;
        }
        address[piece] = address[piece]! * 0x100 + part!;
        seen++;
        if (seen === 2 || seen === 4) piece++;
      }
      if (seen !== 4) return null;
      break;
    } else if (chars[p] === ':') {
      p++;
      if (chars[p] === undefined) return null;
    } else if (chars[p] !== undefined) return null;
    address[piece++] = value;
  }
  if (compress !== null) {
    let swaps = piece - compress;
    for (piece = 7; piece !== 0 && swaps > 0; piece--, swaps--) {
      const other = compress + swaps - 1;
      [address[piece], address[other]] = [address[other]!, address[piece]!];
    }
  } else if (piece !== 8) return null;
  return address;
}

function serializeIpv6(address: number[]): string {
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && address[j] === 0) j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === best) {
      out += i === 0 ? '::' : ':';
      i += bestLength - 1;
      continue;
    }
    out += address[i]!.toString(16) + (i < 7 ? ':' : '');
  }
  return out;
}

/** The serialised host, or null when `input` is not a valid host. */
export function parseHost(input: string, special: boolean): string | null {
  if (input.startsWith('[')) {
    if (!input.endsWith(']')) return null;
    const address = parseIpv6(input.slice(1, -1));
    return address === null ? null : `[${serializeIpv6(address)}]`;
  }
  if (!special) return FORBIDDEN_HOST.test(input) ? null : percentEncode(input, C0_CONTROL_SET);
  const ascii = domainToAscii(utf8Decode(percentDecode(input)));
  if (ascii === null || FORBIDDEN_DOMAIN.test(ascii)) return null;
  return endsInANumber(ascii) ? parseIpv4(ascii) : ascii;
}
