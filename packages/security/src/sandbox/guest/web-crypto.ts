// The global `crypto`: getRandomValues and randomUUID, filled from the host's CSPRNG (node:crypto,
// through a host call), never from Math.random. As in WebCrypto, one request is at most 65,536
// bytes (a QuotaExceededError beyond) and only integer typed arrays are accepted. There is no
// `crypto.subtle`; for HMAC and hashes a plugin has ctx.crypto.
import type { GuestHost } from './guest-host';
import { DOMException } from './dom-exception';

export const MAX_RANDOM_BYTES = 65_536;
const INTEGER_ARRAYS = new Set([
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
]);
const objectToString = Object.prototype.toString;

export interface SandboxCrypto {
  getRandomValues<T extends ArrayBufferView>(array: T): T;
  randomUUID(): string;
}

function fillRandom(host: GuestHost, bytes: Uint8Array): void {
  if (bytes.length === 0) return;
  const hex = host.randomHex(bytes.length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
}

export function createCrypto(host: GuestHost): SandboxCrypto {
  return {
    getRandomValues<T extends ArrayBufferView>(array: T): T {
      const tag = objectToString.call(array).slice(8, -1);
      if (!ArrayBuffer.isView(array) || !INTEGER_ARRAYS.has(tag)) {
        throw new DOMException('getRandomValues: the argument must be an integer typed array', 'TypeMismatchError');
      }
      if (array.byteLength > MAX_RANDOM_BYTES) {
        throw new DOMException(
          `getRandomValues: the ArrayBufferView's byte length (${array.byteLength}) exceeds ` +
            `the number of bytes of entropy available via this API (${MAX_RANDOM_BYTES})`,
          'QuotaExceededError',
        );
      }
      fillRandom(host, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      return array;
    },
    randomUUID(): string {
      const bytes = new Uint8Array(16);
      fillRandom(host, bytes);
      bytes[6] = (bytes[6]! & 0x0f) | 0x40;
      bytes[8] = (bytes[8]! & 0x3f) | 0x80;
      let hex = '';
      for (let i = 0; i < 16; i++) hex += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
}
