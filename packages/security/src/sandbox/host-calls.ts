// The host functions behind ctx, in the worker: each guest call arrives as an operation name and
// JSON arguments and leaves as JSON text, {"value":…} or {"error":{"code","message"}}. Errors the
// plugin sees are CapabilityErrors, written for it; anything else becomes a generic message, so
// no host path or host error text reaches the guest.
import type { JsonValue } from '@marathon/plugin-api';
import { CapabilityError } from '../capabilities/capability-error';
import { digest, randomHex } from '../capabilities/crypto-capability';
import { envGet } from '../capabilities/env-capability';
import { execCommand } from '../capabilities/exec-capability';
import { fsCall, type FsOp } from '../capabilities/fs-capability';
import { LogLimiter } from '../capabilities/log-limiter';
import { netFetch } from '../capabilities/net-capability';
import type { PluginScope } from '../capabilities/plugin-scope';
import { storageCall } from '../capabilities/storage-capability';
import type { LogEntry } from './protocol';

const LOG_LEVELS = new Set(['debug', 'info', 'warn', 'error']);
const MAX_LOG_CHARS = 4096;
const FS_OPS = new Set<string>(['read', 'write', 'append', 'list', 'stat', 'remove', 'mkdir']);

function encodeError(error: unknown): string {
  if (error instanceof CapabilityError) return JSON.stringify({ error: { code: error.code, message: error.message } });
  return JSON.stringify({ error: { code: 'EIO', message: 'the host could not complete the operation' } });
}

function parseArgs(argsJson: string): unknown[] {
  const args = JSON.parse(argsJson) as unknown;
  return Array.isArray(args) ? args : [];
}

export class HostCalls {
  private readonly limiter = new LogLimiter();

  constructor(
    private readonly scope: PluginScope,
    private readonly log: (entry: LogEntry) => void,
  ) {}

  /** Operations that answer at once: ctx.log (and console), ctx.env.get, random bytes and ctx.crypto. */
  sync(op: string, argsJson: string): string {
    try {
      const args = parseArgs(argsJson);
      let value: JsonValue;
      if (op === 'log') value = this.logCall(args);
      else if (op === 'env.get') value = envGet(this.scope, args);
      else if (op === 'crypto.random') value = randomHex(args);
      else if (op === 'crypto.digest') value = digest(args);
      else throw new CapabilityError('ENOSYS', `unknown operation ${op}`);
      return JSON.stringify({ value });
    } catch (error) {
      return encodeError(error);
    }
  }

  /** Operations that take time: files, network, commands, storage. */
  async async(op: string, argsJson: string): Promise<string> {
    try {
      const args = parseArgs(argsJson);
      const [family, name] = op.split('.', 2) as [string, string | undefined];
      let value: JsonValue;
      if (family === 'fs' && name !== undefined && FS_OPS.has(name)) value = await fsCall(this.scope, name as FsOp, args);
      else if (op === 'net.fetch') value = await netFetch(this.scope, args);
      else if (op === 'exec') value = await execCommand(this.scope, args);
      else if (family === 'storage' && (name === 'get' || name === 'set' || name === 'delete'))
        value = await storageCall(this.scope, name, args);
      else throw new CapabilityError('ENOSYS', `unknown operation ${op}`);
      return JSON.stringify({ value });
    } catch (error) {
      return encodeError(error);
    }
  }

  private logCall(args: unknown[]): null {
    const [level, message, fields] = args;
    if (typeof level !== 'string' || !LOG_LEVELS.has(level)) throw new CapabilityError('EINVAL', 'log: unknown level');
    const { allowed, droppedBefore } = this.limiter.take();
    if (!allowed) return null;
    const time = Date.now();
    const plugin = this.scope.spec.name;
    if (droppedBefore > 0) this.log({ plugin, level: 'warn', message: `${droppedBefore} log messages dropped (rate limit)`, time });
    const text = String(message);
    const entry: LogEntry = {
      plugin,
      level: level as LogEntry['level'],
      message: text.length > MAX_LOG_CHARS ? `${text.slice(0, MAX_LOG_CHARS)}…` : text,
      time,
    };
    if (fields !== null && fields !== undefined) {
      const json = JSON.stringify(fields);
      entry.fields = json.length > MAX_LOG_CHARS ? `${json.slice(0, MAX_LOG_CHARS)}…` : json;
    }
    this.log(entry);
    return null;
  }
}
