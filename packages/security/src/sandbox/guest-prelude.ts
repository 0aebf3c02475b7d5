// The guest half of the bridge, evaluated in every plugin's QuickJS context before the plugin's
// code. It captures the built-ins it relies on first, so that a plugin replacing JSON.stringify
// or Promise.prototype.then cannot change what crosses the boundary; builds the frozen `ctx`; and
// calls handlers, returning their results as text (serialised inside the VM, under the call's
// deadline, so a getter or toJSON that loops is interrupted rather than hanging the host).
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
//                            most MAX_STACK_CHARS, counted here) are the stack, the rest the message.
//                            The length is the prelude's, so neither text can pass for the other.
// An async handler's call answers a promise made by the captured Promise constructor; the host
// reads its state itself and then asks `encode` or `encodeError` for the text (no `then`, whose
// species lookup a plugin could redirect).
//
// Host functions: hostSync(op, argsJson) → '{"value":…}' | '{"error":{"code","message"}}', and
// hostAsync(op, argsJson) → a promise of the same text; hostLoad(name) → a guest module's function
// of (exports, require) (guest-modules.ts); hostSetTimer(callback, delay, repeat) → an id, and
// hostClearTimer(id) (guest-timers.ts).
//
// The standard globals (console, timers, URL, TextEncoder, crypto, …) are guest modules written in
// TypeScript (guest/*.ts), loaded on first use through `load`; this prelude only hands them the
// host functions they are built on (`guestHost`, typed as GuestHost in guest/guest-host.ts).
import { MAX_STACK_CHARS } from './guest-stack';

export const GUEST_PRELUDE = String.raw`(function (hostSync, hostAsync, infoJson, hostLoad, hostSetTimer, hostClearTimer) {
  'use strict';
  var stringify = JSON.stringify, parse = JSON.parse, freeze = Object.freeze, keys = Object.keys;
  var apply = Reflect.apply, then = Promise.prototype.then, PromiseCtor = Promise, resolved = Promise.resolve.bind(Promise);
  var ErrorCtor = Error, isArray = Array.isArray, StringCtor = String, includes = Array.prototype.includes;
  var info = parse(infoJson);
  var maxChars = info.maxChars;
  var plugin = null;

  function hostError(error) {
    var e = new ErrorCtor(error.message);
    e.code = error.code;
    return e;
  }
  function unwrap(text) {
    var reply = parse(text);
    if (reply.error) throw hostError(reply.error);
    return reply.value;
  }
  function sync(op, args) {
    return unwrap(hostSync(op, stringify(args)));
  }
  function async(op, args) {
    var pending;
    try {
      pending = hostAsync(op, stringify(args));
    } catch (error) {
      return PromiseCtor.reject(error);
    }
    return apply(then, pending, [unwrap]);
  }

  // Guest modules, each evaluated once, on first use; their require('./name') loads another.
  var modules = Object.create(null), sliceText = String.prototype.slice;
  function load(name) {
    var exports = modules[name];
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
  function requireModule(specifier) {
    var name = StringCtor(specifier);
    return load(apply(sliceText, name, [0, 2]) === './' ? apply(sliceText, name, [2]) : name);
  }
  var guestHost = freeze({
    log: function (level, message) { sync('log', [level, message, null]); },
    randomHex: function (length) { return sync('crypto.random', [length]); },
    digest: function (request) { return sync('crypto.digest', [request]); },
    setTimer: hostSetTimer,
    clearTimer: hostClearTimer,
  });
  var pluginCrypto;
  function cryptoMethod(name) {
    return function () {
      if (pluginCrypto === undefined) pluginCrypto = load('ctx-crypto').createPluginCrypto(guestHost);
      return apply(pluginCrypto[name], undefined, arguments);
    };
  }

  var permissions = freeze(info.permissions.slice());
  function logger(level) {
    return function (message, fields) {
      sync('log', [level, StringCtor(message), fields === undefined ? null : fields]);
    };
  }
  function response(raw) {
    return freeze({
      ok: raw.ok,
      status: raw.status,
      url: raw.url,
      headers: freeze(raw.headers),
      text: function () { return resolved(raw.body); },
      json: function () { return new PromiseCtor(function (res) { res(parse(raw.body)); }); },
    });
  }
  var ctx = freeze({
    plugin: freeze({ name: info.name, version: info.version }),
    permissions: permissions,
    hasPermission: function (permission) { return apply(includes, permissions, [permission]); },
    log: freeze({ debug: logger('debug'), info: logger('info'), warn: logger('warn'), error: logger('error') }),
    storage: freeze({
      get: function (key) {
        return apply(then, async('storage.get', [key]), [function (entry) { return entry.found ? entry.value : undefined; }]);
      },
      set: function (key, value) { return apply(then, async('storage.set', [key, value]), [function () {}]); },
      delete: function (key) { return async('storage.delete', [key]); },
    }),
    fs: freeze({
      read: function (path) { return async('fs.read', [path]); },
      write: function (path, data) { return apply(then, async('fs.write', [path, data]), [function () {}]); },
      append: function (path, data) { return apply(then, async('fs.append', [path, data]), [function () {}]); },
      list: function (path) { return async('fs.list', [path]); },
      stat: function (path) { return async('fs.stat', [path]); },
      remove: function (path, options) { return apply(then, async('fs.remove', [path, options]), [function () {}]); },
      mkdir: function (path, options) { return apply(then, async('fs.mkdir', [path, options]), [function () {}]); },
    }),
    net: freeze({
      fetch: function (url, init) { return apply(then, async('net.fetch', [url, init]), [response]); },
    }),
    env: freeze({
      get: function (name) { var value = sync('env.get', [name]); return value === null ? undefined : value; },
    }),
    exec: function (command, args, options) { return async('exec', [command, args === undefined ? [] : args, options]); },
    crypto: freeze({ hmac: cryptoMethod('hmac'), hash: cryptoMethod('hash'), sha256: cryptoMethod('sha256') }),
  });
  apply(load('install').install, undefined, [guestHost, load]);

  function encode(value) {
    var text;
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
  function describe(error) {
    var message;
    try {
      message = error instanceof ErrorCtor ? StringCtor(error.message) : StringCtor(error);
    } catch (e) {
      message = 'a value that cannot be described';
    }
    return message.length > 2000 ? message.slice(0, 2000) + '...' : message;
  }
  // An Error's stack, for DEBUG (guest-stack.ts reads it on the host). It is an ordinary property
  // the plugin may have replaced: only a string is taken, cut with the slice captured before the
  // plugin's code ran, so that its length, written into the envelope, is the text's.
  function stackOf(error) {
    try {
      var stack = error instanceof ErrorCtor ? error.stack : undefined;
      return typeof stack === 'string' ? apply(sliceText, stack, [0, ${MAX_STACK_CHARS}]) : '';
    } catch (e) {
      return '';
    }
  }
  function encodeError(error) {
    var message = describe(error), stack = stackOf(error);
    return stack === '' ? 'EHANDLER_FAILED\n' + message : 'EHANDLER_FAILED ' + stack.length + '\n' + stack + message;
  }
  /** JSON text of a list of names, written without consulting any prototype. */
  function nameList(names) {
    var text = '', i;
    for (i = 0; i < names.length; i++) text += (i === 0 ? '' : ',') + stringify(StringCtor(names[i]));
    return '[' + text + ']';
  }

  return freeze({
    /** Takes the module namespace; returns a description of the plugin, or throws. */
    register: function (namespace) {
      var definition = namespace && namespace.default;
      if (typeof definition !== 'object' || definition === null) {
        throw new ErrorCtor('the main module must export a plugin as its default export: export default definePlugin({ ... })');
      }
      var hooks = definition.hooks === undefined ? {} : definition.hooks;
      var commands = definition.commands === undefined ? {} : definition.commands;
      if (typeof hooks !== 'object' || hooks === null || typeof commands !== 'object' || commands === null) {
        throw new ErrorCtor('the plugin\'s hooks and commands must be objects of functions');
      }
      var table = { hooks: {}, commands: {}, init: definition.init, deinit: definition.deinit };
      var hookNames = keys(hooks), commandNames = keys(commands), i;
      for (i = 0; i < hookNames.length; i++) {
        if (typeof hooks[hookNames[i]] !== 'function') throw new ErrorCtor('hooks.' + hookNames[i] + ' is not a function');
        table.hooks[hookNames[i]] = hooks[hookNames[i]];
      }
      for (i = 0; i < commandNames.length; i++) {
        if (typeof commands[commandNames[i]] !== 'function') throw new ErrorCtor('commands.' + commandNames[i] + ' is not a function');
        table.commands[commandNames[i]] = commands[commandNames[i]];
      }
      if (table.init !== undefined && typeof table.init !== 'function') throw new ErrorCtor('init is not a function');
      if (table.deinit !== undefined && typeof table.deinit !== 'function') throw new ErrorCtor('deinit is not a function');
      plugin = table;
      return '{"hooks":' + nameList(hookNames) + ',"commands":' + nameList(commandNames) + '}';
    },
    /**
     * Calls a handler: the tagged text of its result or its error at once for a synchronous
     * handler, else a promise (of the captured constructor) that settles with the handler's value
     * or error, for the host to pass to encode or encodeError. The target is 'hook:NAME',
     * 'command:NAME', 'init' or 'deinit'.
     */
    invoke: function (target, payload) {
      var colon = target.indexOf(':');
      var kind = colon < 0 ? target : target.slice(0, colon), name = colon < 0 ? target : target.slice(colon + 1);
      var fn = kind === 'hook' ? plugin.hooks[name] : kind === 'command' ? plugin.commands[name] : plugin[kind];
      if (typeof fn !== 'function') {
        if (kind === 'init' || kind === 'deinit') return 'U';
        return 'ENO_SUCH_HANDLER\nthe plugin has no ' + kind + ' named ' + StringCtor(name);
      }
      var args = kind === 'init' || kind === 'deinit' ? [ctx] : [ctx, parse(payload)];
      var value;
      try {
        value = apply(fn, undefined, args);
      } catch (error) {
        return encodeError(error);
      }
      // A synchronous result is answered at once, as text: no promise, no job queue.
      if (value === null || (typeof value !== 'object' && typeof value !== 'function') || typeof value.then !== 'function') {
        return encode(value);
      }
      return new PromiseCtor(function (res) { res(value); });
    },
    encode: encode,
    encodeError: encodeError,
  });
})`;
