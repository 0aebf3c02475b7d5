/// <reference path="./webassembly.d.ts" />
// Engine construction: one plugin's QuickJS runtime and context, its limits, its module loader and
// the guest prelude's bridge. Each plugin gets its own WebAssembly instance and memory (made from
// the worker's one compiled module), because a memory cap set inside QuickJS does not hold
// (upstream quickjs-emscripten #255, #271) while a WebAssembly.Memory's maximum does.
import variant from '@jitl/quickjs-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type VmFunctionImplementation,
} from 'quickjs-emscripten-core';
import type { PluginScope } from '../capabilities/plugin-scope';
import type { ResourceLimits } from '@marathon/plugin-api';
import { PRELUDE_MODULE, type GuestModuleSources } from './guest-modules';
import { MAX_STACK_CHARS } from './guest-stack';
import { MAX_MESSAGE_CHARS } from './message-cut';
import type { PreludeInfo } from './guest/guest-host';
import type { PreludeModule } from './guest/prelude';
import { loadModuleSource, normalizeImport } from './module-resolution';
import type { WorkerPluginSpec } from './protocol';

const WASM_PAGE = 64 * 1024;
/** Pages QuickJS's module declares as its initial memory (16 MiB). */
const ENGINE_INITIAL_PAGES = 256;

/** What every instance in a worker shares: the compiled engine and the plugin-api runtime's source. */
export interface EngineAssets {
  wasmModule: WebAssembly.Module;
  apiSource: string;
  /** The compiled guest modules behind the standard globals, by name (guest-modules.ts). */
  guestModules: GuestModuleSources;
  /**
   * Shared with the host's watchdog (worker-progress.ts): slot ACTIVITY_SLOT holds the key of the instance running
   * guest code at this moment (0 when none), so a worker stopped for an overrun blames the plugin
   * that was running rather than whichever call was waiting behind it.
   */
  activity?: Int32Array;
}

/** A plugin's engine: its memory (capped), its QuickJS runtime (stack capped) and its one context. */
export interface QuickJs {
  memory: WebAssembly.Memory;
  runtime: QuickJSRuntime;
  vm: QuickJSContext;
}

export async function newQuickJs(spec: WorkerPluginSpec, assets: EngineAssets): Promise<QuickJs> {
  const memory = new WebAssembly.Memory({
    initial: ENGINE_INITIAL_PAGES,
    maximum: Math.max(ENGINE_INITIAL_PAGES, Math.floor(spec.limits.max_memory / WASM_PAGE)),
  });
  const module = await newQuickJSWASMModuleFromVariant(
    newVariant(variant, {
      wasmMemory: memory,
      emscriptenModule: {
        // Instantiated synchronously from the worker's compiled module: the asynchronous path
        // waits on the event loop and took most of a plugin's load time.
        instantiateWasm(imports: WebAssembly.Imports, onSuccess: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
          const instance = new WebAssembly.Instance(assets.wasmModule, imports);
          onSuccess(instance, assets.wasmModule);
          return instance.exports;
        },
      } as never,
    }),
  );
  const runtime = module.newRuntime();
  runtime.setMaxStackSize(spec.limits.max_stack_bytes);
  return { memory, runtime, vm: runtime.newContext() };
}

/**
 * Whether the plugin's memory has grown close to its maximum. The engine grows memory in large
 * steps, so the step that failed may have asked for more than the last few pages left.
 */
export function nearMemoryCap(memory: WebAssembly.Memory, limits: Pick<ResourceLimits, 'max_memory'>): boolean {
  return memory.buffer.byteLength >= 0.9 * Math.max(limits.max_memory, ENGINE_INITIAL_PAGES * WASM_PAGE);
}

/** Imports resolve inside the plugin folder and to the plugin-api runtime; a refused one is audited. */
export function installModuleLoader(runtime: QuickJSRuntime, spec: WorkerPluginSpec, assets: EngineAssets, scope: PluginScope): void {
  runtime.setModuleLoader(
    (name) => {
      const loaded = loadModuleSource(name, spec.dir, assets.apiSource);
      if (loaded.ok) return loaded.source;
      scope.audit('import', loaded.request, false, loaded.message);
      return { error: new Error(loaded.message) };
    },
    (base, requested) => normalizeImport(base, requested),
  );
}

/** The host functions the prelude is built on (guest/prelude.ts), as the instance implements them. */
export interface BridgeFunctions {
  sync(op: string, args: string): string;
  /** Starts a host operation; returns the guest promise it resolves. */
  async(op: string, args: string): QuickJSHandle;
  setTimer: VmFunctionImplementation<QuickJSHandle>;
  clearTimer(id: number): void;
}

/**
 * Runs the guest prelude, before any plugin code: a guest module (guest/prelude.ts) evaluated here
 * and never through hostLoad, whose createBridge(hostSync, …) makes the bridge. Returns the bridge
 * and its `invoke`, the function every call goes through.
 */
export function startBridge(
  vm: QuickJSContext,
  spec: WorkerPluginSpec,
  assets: EngineAssets,
  functions: BridgeFunctions,
): { bridge: QuickJSHandle; invoke: QuickJSHandle } {
  const hostSync = vm.newFunction('hostSync', (op, args) => vm.newString(functions.sync(vm.getString(op), vm.getString(args))));
  const hostAsync = vm.newFunction('hostAsync', (op, args) => functions.async(vm.getString(op), vm.getString(args)));
  const hostLoad = vm.newFunction('hostLoad', (name) => loadGuestModule(vm, assets, name));
  const hostSetTimer = vm.newFunction('hostSetTimer', functions.setTimer);
  const hostClearTimer = vm.newFunction('hostClearTimer', (id) => {
    if (vm.typeof(id) === 'number') functions.clearTimer(vm.getNumber(id));
  });
  const preludeInfo: PreludeInfo = {
    name: spec.name,
    version: spec.version,
    permissions: spec.permissions,
    maxChars: spec.limits.max_result_bytes,
    maxStackChars: MAX_STACK_CHARS,
    maxMessageChars: MAX_MESSAGE_CHARS,
    config: spec.config,
  };
  const info = vm.newString(JSON.stringify(preludeInfo));
  try {
    const source = assets.guestModules.get(PRELUDE_MODULE);
    if (source === undefined) throw new Error(`the sandbox's guest prelude is missing: build @marathon/security`);
    const wrapper = vm.unwrapResult(vm.evalCode(source, `marathon:${PRELUDE_MODULE}.js`, { type: 'global' }));
    const exports = vm.newObject();
    vm.unwrapResult(vm.callFunction(wrapper, vm.undefined, exports)).dispose();
    wrapper.dispose();
    const factory = vm.getProp(exports, 'createBridge' satisfies keyof PreludeModule);
    exports.dispose();
    const bridge = vm.unwrapResult(
      vm.callFunction(factory, vm.undefined, hostSync, hostAsync, info, hostLoad, hostSetTimer, hostClearTimer),
    );
    factory.dispose();
    return { bridge, invoke: vm.getProp(bridge, 'invoke') };
  } finally {
    hostSync.dispose();
    hostAsync.dispose();
    hostLoad.dispose();
    hostSetTimer.dispose();
    hostClearTimer.dispose();
    info.dispose();
  }
}

/** A guest module's function of (exports, require), compiled now: the prelude asks once per module. */
function loadGuestModule(vm: QuickJSContext, assets: EngineAssets, name: QuickJSHandle) {
  const key = vm.typeof(name) === 'string' ? vm.getString(name) : '';
  const source = key === PRELUDE_MODULE ? undefined : assets.guestModules.get(key);
  if (source === undefined) return { error: vm.newError({ name: 'Error', message: `no sandbox module named '${key.slice(0, 64)}'` }) };
  return vm.evalCode(source, `marathon:${key}.js`, { type: 'global' });
}
