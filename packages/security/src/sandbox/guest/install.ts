// Puts the sandbox's standard globals on the guest's global object, each made on first use: the
// engine compiles a module only when a plugin touches a global that needs it, so a plugin that uses
// none of them pays for none (compiling tens of kilobytes of JavaScript in every engine at load
// would cost milliseconds per plugin). A plugin may replace or delete any of them, as on the web.
import type { GuestHost, LoadModule } from './guest-host';
import type { Timers } from './timers';

const defineProperty = Object.defineProperty;

function define(name: string, value: unknown): void {
  defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

/** `name` as an accessor that turns into a plain writable property the first time it is read or set. */
function lazy(name: string, make: () => unknown): void {
  defineProperty(globalThis, name, {
    configurable: true,
    enumerable: false,
    get() {
      const value = make();
      define(name, value);
      return value;
    },
    set(value: unknown) {
      define(name, value);
    },
  });
}

export function install(host: GuestHost, load: LoadModule): void {
  let timers: Timers | undefined;
  const timer = (): Timers => (timers ??= load('timers').createTimers(host));
  lazy('console', () => load('console').createConsole(host));
  lazy('setTimeout', () => timer().setTimeout);
  lazy('clearTimeout', () => timer().clearTimeout);
  lazy('setInterval', () => timer().setInterval);
  lazy('clearInterval', () => timer().clearInterval);
  lazy('queueMicrotask', () => timer().queueMicrotask);
  lazy('URL', () => load('url').URL);
  lazy('URLSearchParams', () => load('url-search-params').URLSearchParams);
  lazy('TextEncoder', () => load('text-encoding').TextEncoder);
  lazy('TextDecoder', () => load('text-encoding').TextDecoder);
  lazy('atob', () => load('base64').atob);
  lazy('btoa', () => load('base64').btoa);
  lazy('structuredClone', () => load('structured-clone').structuredClone);
  lazy('DOMException', () => load('dom-exception').DOMException);
  lazy('crypto', () => load('web-crypto').createCrypto(host));
}
