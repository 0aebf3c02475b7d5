// ctx.crypto: HMAC and hashes computed by the host's node:crypto, for signing webhooks and
// checking digests. No permission: it reads and writes nothing outside the engine. Keys and data
// are strings (taken as UTF-8) or bytes (any ArrayBuffer or view); the digest comes back as text.
// Its type, PluginCrypto, is the one plugin authors compile against (@marathon/plugin-api).
import type { PluginCrypto } from '@marathon/plugin-api';
import type { DigestInput, GuestHost } from './guest-host';
import { encodeBytes } from './base64';
import { bytesOf } from './byte-source';

function input(value: unknown, what: string): DigestInput {
  if (typeof value === 'string') return value;
  return { base64: encodeBytes(bytesOf(value, `ctx.crypto: ${what}`)) };
}

export function createPluginCrypto(host: GuestHost): PluginCrypto {
  const digest = (algorithm: unknown, data: unknown, key: unknown, encoding: unknown): string => {
    const request = {
      algorithm: String(algorithm),
      data: input(data, 'data'),
      encoding: encoding === undefined ? 'hex' : String(encoding),
    };
    return host.digest(key === undefined ? request : { ...request, key: input(key, 'the key') });
  };
  return {
    hmac: (algorithm, key, data, encoding) => {
      if (key === undefined || key === null) throw new TypeError('ctx.crypto.hmac: a key is required');
      return digest(algorithm, data, key, encoding);
    },
    hash: (algorithm, data, encoding) => digest(algorithm, data, undefined, encoding),
    sha256: (data, encoding) => digest('sha256', data, undefined, encoding),
  };
}
