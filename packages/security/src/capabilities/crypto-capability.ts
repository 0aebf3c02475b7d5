// The host half of the guest's `crypto.getRandomValues`/`randomUUID` and of ctx.crypto (HMAC and
// hashes): node:crypto, called synchronously. No permission is needed and nothing is audited: these
// read and write nothing outside the engine. Inputs are bounded, so one call costs the worker at
// most a few milliseconds.
import { createHash, createHmac, randomBytes, type BinaryToTextEncoding } from 'node:crypto';
import type { JsonValue } from '@marathon/plugin-api';
import { CapabilityError } from './capability-error';

/** Bytes one random request may ask for: WebCrypto's cap for getRandomValues. */
export const MAX_RANDOM_BYTES = 65_536;
/** Bytes of data, or of a key, one digest may take. */
export const MAX_DIGEST_INPUT_BYTES = 4 * 1024 * 1024;
export const DIGEST_ALGORITHMS: readonly string[] = ['sha1', 'sha256', 'sha384', 'sha512'];
export const DIGEST_ENCODINGS: readonly string[] = ['hex', 'base64', 'base64url'];

/** `args[0]` random bytes from the CSPRNG, as hex. */
export function randomHex(args: readonly unknown[]): JsonValue {
  const [length] = args;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > MAX_RANDOM_BYTES) {
    throw new CapabilityError('EINVAL', `crypto: between 0 and ${MAX_RANDOM_BYTES} random bytes may be asked for at a time`);
  }
  return randomBytes(length).toString('hex');
}

function bytesOf(value: unknown, what: string): Buffer {
  let bytes: Buffer | undefined;
  if (typeof value === 'string') {
    if (value.length <= MAX_DIGEST_INPUT_BYTES) bytes = Buffer.from(value, 'utf8');
  } else if (typeof value === 'object' && value !== null && typeof (value as { base64?: unknown }).base64 === 'string') {
    const base64 = (value as { base64: string }).base64;
    if (base64.length <= Math.ceil(MAX_DIGEST_INPUT_BYTES / 3) * 4) bytes = Buffer.from(base64, 'base64');
  } else {
    throw new CapabilityError('EINVAL', `ctx.crypto: ${what} must be a string or bytes (an ArrayBuffer or a typed array)`);
  }
  if (bytes === undefined || bytes.length > MAX_DIGEST_INPUT_BYTES) {
    throw new CapabilityError('EFBIG', `ctx.crypto: ${what} is larger than ${MAX_DIGEST_INPUT_BYTES} bytes`);
  }
  return bytes;
}

/** An HMAC (with `key`) or a hash of `data`, as text in `encoding`. */
export function digest(args: readonly unknown[]): JsonValue {
  const request = (typeof args[0] === 'object' && args[0] !== null ? args[0] : {}) as Record<string, unknown>;
  const { algorithm, encoding } = request;
  if (typeof algorithm !== 'string' || !DIGEST_ALGORITHMS.includes(algorithm)) {
    throw new CapabilityError(
      'EINVAL',
      `ctx.crypto: the algorithm must be one of ${DIGEST_ALGORITHMS.join(', ')}, not '${String(algorithm).slice(0, 40)}'`,
    );
  }
  if (typeof encoding !== 'string' || !DIGEST_ENCODINGS.includes(encoding)) {
    throw new CapabilityError(
      'EINVAL',
      `ctx.crypto: the encoding must be one of ${DIGEST_ENCODINGS.join(', ')}, not '${String(encoding).slice(0, 40)}'`,
    );
  }
  const data = bytesOf(request.data, 'the data');
  const hash = request.key === undefined ? createHash(algorithm) : createHmac(algorithm, bytesOf(request.key, 'the key'));
  return hash.update(data).digest(encoding as BinaryToTextEncoding);
}
