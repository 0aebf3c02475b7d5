// The guest half of the bridge, run in every plugin's QuickJS context before the plugin's code
// (the engine calls createBridge once, at start: quickjs-engine.ts). It captures the built-ins it
// relies on first, so that a plugin replacing JSON.stringify or Promise.prototype.then cannot change
// what crosses the boundary; builds the frozen `ctx`; and calls handlers, returning their results as
// text (serialised inside the VM, under the call's deadline, so a getter or toJSON that loops is
// interrupted rather than hanging the host).
//
// It is a guest module like the others (compiled with the package, read by guest-modules.ts), but
// the host never hands it to the guest's `load`: only the engine evaluates it, once. Everything it
// calls after plugin code has run is captured below, at start; no spread, for…of or array
// destructuring (they go through Array.prototype[Symbol.iterator], which the plugin owns).
//
// What a call answers is a tagged string, never JSON built from an object: the guest owns every
// prototype in its engine, so `JSON.stringify({ value })` would consult an `Object.prototype.toJSON`
// the plugin planted and let it write the envelope itself (a fake host error, a fake `notRun`).
// The tag is the first character, chosen here; only the text after `V` is the plugin's, and the
// worker checks that it is JSON before anything else reads it (result-envelope.ts):
//   'U'                      the handler returned nothing
//   'V' + JSON text          the handler's value
//   'E' + code + '\n' + text  the call failed (BAD_RESULT, HANDLER_FAILED, NO_SUCH_HANDLER)
//   'E' + code + ' ' + n + '\n' + stack + text
//                            a handler threw an Error with a stack: its first n characters (n at
//                            most info.maxStackChars, counted here) are the stack, the rest the
//                            message. The length is the prelude's, so neither text can pass for the other.
// An async handler's call answers a promise made by the captured Promise constructor; the host
// reads its state itself and then asks `encode` or `encodeError` for the text (no `then`, whose
// species lookup a plugin could redirect).
//
// The standard globals (console, timers, URL, TextEncoder, crypto, …) are the other guest modules,
// loaded on first use through `load`; this prelude only hands them the host functions they are
// built on (`guestHost`, typed as GuestHost in guest-host.ts).
import type {
  Context,
  ExecResult,
  FetchResponse,
  FileStat,
  JsonValue,
  PluginCrypto,
  PluginEnv,
  PluginFileSystem,
  PluginLogger,
  PluginNetwork,
  PluginStorage,
} from '@marathon/plugin-api';
import type { GuestBridge, GuestHost, HostAsync, HostLoad, HostSync, LoadModule, PreludeInfo } from './guest-host';

type HostReply = { value?: unknown; error?: { code: string; message: string } };
type Handler = (...args: unknown[]) => unknown;
interface PluginTable {
  hooks: Record<string, Handler>;
  commands: Record<string, Handler>;
  init: unknown;
  deinit: unknown;
}
interface RawResponse {
  ok: boolean;
  status: number;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function createBridge(
  hostSync: HostSync,
  hostAsync: HostAsync,
  infoJson: string,
  hostLoad: HostLoad,
  hostSetTimer: GuestHost['setTimer'],
  hostClearTimer: GuestHost['clearTimer'],
): GuestBridge {
  const stringify = JSON.stringify,
    parse = JSON.parse,
    freeze = Object.freeze,
    keys = Object.keys;
  const apply = Reflect.apply,
    then = Promise.prototype.then,
    PromiseCtor = Promise,
    resolved = Promise.resolve.bind(Promise),
    rejected = Promise.reject.bind(Promise);
  const ErrorCtor = Error,
    StringCtor = String,
    includes = Array.prototype.includes,
    indexOfText = String.prototype.indexOf;
  const info = parse(infoJson) as PreludeInfo;
  const maxChars = info.maxChars,
    maxStackChars = info.maxStackChars,
    maxMessageChars = info.maxMessageChars;
  let plugin: PluginTable | null = null;

  function hostError(error: { code: string; message: string }): Error {
    const e = new ErrorCtor(error.message) as Error & { code?: string };
    e.code = error.code;
    return e;
  }
  function unwrap(text: string): unknown {
    const reply = parse(text) as HostReply;
    if (reply.error) throw hostError(reply.error);
    return reply.value;
  }
  function sync<T>(op: string, args: unknown[]): T {
    return unwrap(hostSync(op, stringify(args))) as T;
  }
  /** A host operation's promise, chained with the captured `then` (never the plugin's). */
  function chain<T, U>(promise: Promise<T>, next: (value: T) => U): Promise<U> {
    return apply(then, promise, [next]) as Promise<U>;
  }
  function async<T>(op: string, args: unknown[]): Promise<T> {
    let pending: Promise<string>;
    try {
      pending = hostAsync(op, stringify(args));
    } catch (error) {
      return rejected(error);
    }
    return chain(pending, unwrap) as Promise<T>;
  }
  function nothing(): void {}

  // Guest modules, each evaluated once, on first use; their require('./name') loads another.
  const modules: Record<string, object> = Object.create(null),
    sliceText = String.prototype.slice;
  function load(name: string): object {
    let exports = modules[name];
    if (exports !== undefined) return exports;
    exports = {};
    modules[name] = exports;
    try {
      apply(hostLoad(name), undefined, [exports, requireModule]);
    } catch (error) {
      delete modules[name];
      throw error;
    }
    return exports;
  }
  const loadModule = load as LoadModule;
  function requireModule(specifier: string): unknown {
    const name = StringCtor(specifier);
    return load(apply(sliceText, name, [0, 2]) === './' ? apply(sliceText, name, [2]) : name);
  }
  const guestHost = freeze<GuestHost>({
    log: function (level, message) {
      sync('log', [level, message, null]);
    },
    randomHex: function (length) {
      return sync<string>('crypto.random', [length]);
    },
    digest: function (request) {
      return sync<string>('crypto.digest', [request]);
    },
    setTimer: hostSetTimer,
    clearTimer: hostClearTimer,
  });
  let pluginCrypto: PluginCrypto | undefined;
  function cryptoMethod<K extends keyof PluginCrypto>(name: K): PluginCrypto[K] {
    return function () {
      if (pluginCrypto === undefined) pluginCrypto = loadModule('ctx-crypto').createPluginCrypto(guestHost);
      // `arguments` as the prelude always passed them: the method's own checks see what the plugin gave.
      return apply(pluginCrypto[name], undefined, arguments);
    } as PluginCrypto[K];
  }

  const permissions = freeze(info.permissions.slice()) as Context['permissions'];
  /** Freezes a value parsed from the host's JSON and all it holds; runs before any plugin code, on the prelude's own objects. */
  function frozenDeep<T>(value: T): T {
    if (typeof value === 'object' && value !== null) {
      const names = keys(value);
      for (let i = 0; i < names.length; i++) frozenDeep((value as Record<string, unknown>)[names[i]!]);
      freeze(value);
    }
    return value;
  }
  // The engine's own copy, parsed from text: nothing the plugin writes can reach another plugin's.
  const config = frozenDeep(info.config === undefined ? {} : info.config) as Context['config'];
  function logger(level: string) {
    return function (message: unknown, fields?: unknown) {
      sync('log', [level, StringCtor(message), fields === undefined ? null : fields]);
    };
  }
  function response(raw: RawResponse): FetchResponse {
    return freeze({
      ok: raw.ok,
      status: raw.status,
      url: raw.url,
      headers: freeze(raw.headers),
      text: function () {
        return resolved(raw.body);
      },
      json: function () {
        return new PromiseCtor<JsonValue>(function (res) {
          res(parse(raw.body) as JsonValue);
        });
      },
    });
  }
  const ctx = freeze<Context>({
    plugin: freeze({ name: info.name, version: info.version }),
    config: config,
    permissions: permissions,
    hasPermission: function (permission) {
      return apply(includes, permissions, [permission]) as boolean;
    },
    log: freeze<PluginLogger>({ debug: logger('debug'), info: logger('info'), warn: logger('warn'), error: logger('error') }),
    storage: freeze<PluginStorage>({
      get: function (key) {
        return chain(async<{ found: boolean; value?: JsonValue }>('storage.get', [key]), function (entry) {
          return entry.found ? entry.value : undefined;
        });
      },
      set: function (key, value) {
        return chain(async('storage.set', [key, value]), nothing);
      },
      delete: function (key) {
        return async<boolean>('storage.delete', [key]);
      },
    }),
    fs: freeze<PluginFileSystem>({
      read: function (path) {
        return async<string>('fs.read', [path]);
      },
      write: function (path, data) {
        return chain(async('fs.write', [path, data]), nothing);
      },
      append: function (path, data) {
        return chain(async('fs.append', [path, data]), nothing);
      },
      list: function (path) {
        return async<string[]>('fs.list', [path]);
      },
      stat: function (path) {
        return async<FileStat>('fs.stat', [path]);
      },
      remove: function (path, options) {
        return chain(async('fs.remove', [path, options]), nothing);
      },
      mkdir: function (path, options) {
        return chain(async('fs.mkdir', [path, options]), nothing);
      },
    }),
    net: freeze<PluginNetwork>({
      fetch: function (url, init) {
        return chain(async<RawResponse>('net.fetch', [url, init]), response);
      },
    }),
    env: freeze<PluginEnv>({
      get: function (name) {
        const value = sync<string | null>('env.get', [name]);
        return value === null ? undefined : value;
      },
    }),
    exec: function (command, args, options) {
      return async<ExecResult>('exec', [command, args === undefined ? [] : args, options]);
    },
    crypto: freeze<PluginCrypto>({ hmac: cryptoMethod('hmac'), hash: cryptoMethod('hash'), sha256: cryptoMethod('sha256') }),
  });
  apply(loadModule('install').install, undefined, [guestHost, loadModule]);

  function encode(value: unknown): string {
    let text: string | undefined;
    try {
      // stringify of the value alone: whatever a toJSON of the plugin's makes of it is its value.
      text = value === undefined ? undefined : stringify(value);
    } catch (error) {
      return 'EBAD_RESULT\nreturned a value that is not JSON data (' + describe(error) + ')';
    }
    if (typeof text !== 'string') return 'U';
    if (text.length > maxChars) return 'EBAD_RESULT\nreturned more than ' + maxChars + ' characters of data';
    return 'V' + text;
  }
  function describe(error: unknown): string {
    let message: string;
    try {
      message = error instanceof ErrorCtor ? StringCtor(error.message) : StringCtor(error);
    } catch (e) {
      message = 'a value that cannot be described';
    }
    return message.length > maxMessageChars ? apply(sliceText, message, [0, maxMessageChars]) + '...' : message;
  }
  // An Error's stack, for DEBUG (guest-stack.ts reads it on the host). It is an ordinary property
  // the plugin may have replaced: only a string is taken, cut with the slice captured before the
  // plugin's code ran, so that its length, written into the envelope, is the text's.
  function stackOf(error: unknown): string {
    try {
      const stack = error instanceof ErrorCtor ? error.stack : undefined;
      return typeof stack === 'string' ? (apply(sliceText, stack, [0, maxStackChars]) as string) : '';
    } catch (e) {
      return '';
    }
  }
  function encodeError(error: unknown): string {
    const message = describe(error),
      stack = stackOf(error);
    return stack === '' ? 'EHANDLER_FAILED\n' + message : 'EHANDLER_FAILED ' + stack.length + '\n' + stack + message;
  }
  /** JSON text of a list of names, written without consulting any prototype. */
  function nameList(names: string[]): string {
    let text = '';
    for (let i = 0; i < names.length; i++) text += (i === 0 ? '' : ',') + stringify(StringCtor(names[i]));
    return '[' + text + ']';
  }

  return freeze({
    register: function (namespace: unknown): string {
      const definition = namespace && (namespace as { default?: unknown }).default;
      if (typeof definition !== 'object' || definition === null) {
        throw new ErrorCtor('the main module must export a plugin as its default export: export default definePlugin({ ... })');
      }
      const fields = definition as Record<string, unknown>;
      const hooks = (fields.hooks === undefined ? {} : fields.hooks) as Record<string, unknown>;
      const commands = (fields.commands === undefined ? {} : fields.commands) as Record<string, unknown>;
      if (typeof hooks !== 'object' || hooks === null || typeof commands !== 'object' || commands === null) {
        throw new ErrorCtor("the plugin's hooks and commands must be objects of functions");
      }
      const table: PluginTable = { hooks: {}, commands: {}, init: fields.init, deinit: fields.deinit };
      const hookNames = keys(hooks),
        commandNames = keys(commands);
      for (let i = 0; i < hookNames.length; i++) {
        const name = hookNames[i]!,
          fn = hooks[name];
        if (typeof fn !== 'function') throw new ErrorCtor('hooks.' + name + ' is not a function');
        table.hooks[name] = fn as Handler;
      }
      for (let i = 0; i < commandNames.length; i++) {
        const name = commandNames[i]!,
          fn = commands[name];
        if (typeof fn !== 'function') throw new ErrorCtor('commands.' + name + ' is not a function');
        table.commands[name] = fn as Handler;
      }
      if (table.init !== undefined && typeof table.init !== 'function') throw new ErrorCtor('init is not a function');
      if (table.deinit !== undefined && typeof table.deinit !== 'function') throw new ErrorCtor('deinit is not a function');
      plugin = table;
      return '{"hooks":' + nameList(hookNames) + ',"commands":' + nameList(commandNames) + '}';
    },
    invoke: function (target: string, payload: string): string | Promise<unknown> {
      const colon = apply(indexOfText, target, [':']) as number;
      const kind = colon < 0 ? target : (apply(sliceText, target, [0, colon]) as string),
        name = colon < 0 ? target : (apply(sliceText, target, [colon + 1]) as string);
      const table = plugin!;
      const fn = kind === 'hook' ? table.hooks[name] : kind === 'command' ? table.commands[name] : table[kind as 'init' | 'deinit'];
      if (typeof fn !== 'function') {
        if (kind === 'init' || kind === 'deinit') return 'U';
        return 'ENO_SUCH_HANDLER\nthe plugin has no ' + kind + ' named ' + StringCtor(name);
      }
      const args = kind === 'init' || kind === 'deinit' ? [ctx] : [ctx, parse(payload)];
      let value: unknown;
      try {
        value = apply(fn, undefined, args);
      } catch (error) {
        return encodeError(error);
      }
      // A synchronous result is answered at once, as text: no promise, no job queue.
      if (
        value === null ||
        (typeof value !== 'object' && typeof value !== 'function') ||
        typeof (value as { then?: unknown }).then !== 'function'
      ) {
        return encode(value);
      }
      return new PromiseCtor(function (res) {
        res(value);
      });
    },
    encode: encode,
    encodeError: encodeError,
  });
}

/** The module's one export, as the engine reads it off `exports` after evaluating it. */
export type PreludeModule = { createBridge: typeof createBridge };
