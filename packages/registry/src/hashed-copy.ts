// Writing an archive that arrives as a stream (a download, a local file) into a new file under
// staging, hashing exactly the bytes written and stopping at a size limit. The digest checked
// against --integrity and the file later unpacked are then one and the same bytes, and every
// failure — the source's, the limit's, the disk's — is one rejected promise, never an unhandled
// stream error that would kill the process and leave staging behind.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RegistryError } from './errors';

export interface CopyLimits {
  maxBytes: number;
  /** The refusal once more than maxBytes arrived. */
  tooBig: () => RegistryError;
  /** Called as each chunk arrives (a download's idle timer). */
  onChunk?: () => void;
}

export function sri(hash: Buffer): string {
  return `sha512-${hash.toString('base64')}`;
}

/** Copies `input` into `file`, which must not exist yet; resolves to the SRI sha512 of what was written. */
export async function copyHashed(input: Readable, file: string, limits: CopyLimits): Promise<string> {
  const hash = createHash('sha512');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) return done(limits.tooBig());
      limits.onChunk?.();
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(input, meter, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  return sri(hash.digest());
}
