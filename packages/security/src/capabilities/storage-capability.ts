// ctx.storage: a small persistent key-value store per plugin, kept as one JSON file that is
// replaced atomically (write to a temporary file, then rename) on every change.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { JsonValue } from '@marathon/plugin-api';
import { CapabilityError } from './capability-error';
import type { PluginScope } from './plugin-scope';

export const MAX_KEY_LENGTH = 256;
export const MAX_VALUE_BYTES = 64 * 1024;
export const MAX_STORE_BYTES = 1024 * 1024;

const stores = new WeakMap<PluginScope, Map<string, JsonValue>>();

async function load(scope: PluginScope): Promise<Map<string, JsonValue>> {
  let store = stores.get(scope);
  if (store !== undefined) return store;
  store = new Map();
  try {
    const parsed = JSON.parse(await readFile(scope.spec.storageFile, 'utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      for (const [key, value] of Object.entries(parsed)) store.set(key, value as JsonValue);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new CapabilityError('EIO', 'storage: the store could not be read');
  }
  stores.set(scope, store);
  return store;
}

async function save(scope: PluginScope, store: Map<string, JsonValue>): Promise<void> {
  const text = JSON.stringify(Object.fromEntries(store));
  if (Buffer.byteLength(text) > MAX_STORE_BYTES)
    throw new CapabilityError('EFBIG', `storage: the store would exceed ${MAX_STORE_BYTES} bytes`);
  await mkdir(dirname(scope.spec.storageFile), { recursive: true, mode: 0o700 });
  const temporary = `${scope.spec.storageFile}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, scope.spec.storageFile);
}

function checkKey(key: unknown, op: string): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new CapabilityError('EINVAL', `storage.${op}: the key must be a string of 1 to ${MAX_KEY_LENGTH} characters`);
  }
  return key;
}

export async function storageCall(scope: PluginScope, op: 'get' | 'set' | 'delete', args: readonly unknown[]): Promise<JsonValue> {
  const key = checkKey(args[0], op);
  const store = await load(scope);
  if (op === 'get') {
    scope.audit('storage.get', key, true);
    return store.has(key) ? { found: true, value: store.get(key)! } : { found: false };
  }
  if (op === 'delete') {
    const existed = store.delete(key);
    if (existed) await save(scope, store);
    scope.audit('storage.delete', key, true);
    return existed;
  }
  const value = args[1] === undefined ? null : (args[1] as JsonValue);
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_VALUE_BYTES) {
    throw scope.deny('storage.set', key, 'EFBIG', `storage.set: the value is larger than ${MAX_VALUE_BYTES} bytes`);
  }
  const previous = store.get(key);
  store.set(key, value);
  try {
    await save(scope, store);
  } catch (error) {
    if (previous === undefined) store.delete(key);
    else store.set(key, previous);
    throw error;
  }
  scope.audit('storage.set', key, true);
  return null;
}
