import { DEFAULT_LIMITS, type ResourceLimits } from '@marathon/plugin-api';

/** What the engine itself needs: QuickJS's WebAssembly module declares 16 MiB of initial memory. */
export const ENGINE_MIN_MEMORY = 16 * 1024 * 1024;

/** Limits that apply per call rather than per plugin. */
export interface CallLimits {
  /** Wall time one call (a hook, a command, init, deinit) may take, in ms. Default 5000. */
  call_deadline_ms: number;
  /** Bytes of JSON a call may return. Default 1 MiB. */
  max_result_bytes: number;
  /** Native stack for guest recursion, in bytes. Default 512 KiB. */
  max_stack_bytes: number;
}

export const DEFAULT_CALL_LIMITS: Readonly<CallLimits> = Object.freeze({
  call_deadline_ms: 5000,
  max_result_bytes: 1024 * 1024,
  max_stack_bytes: 512 * 1024,
});

export type EffectiveLimits = ResourceLimits & CallLimits;

/** The limits an operator may set for one plugin (`marathon plugin authority`), over the policy and the manifest. */
export interface OperatorLimits {
  max_memory?: number;
  call_deadline_ms?: number;
}

/**
 * The limits a plugin runs under: the policy's (default: docs/design.md's, "The sandbox and ctx"), lowered — never raised — by
 * its manifest, then set for this plugin by its operator where they chose to. Memory below the engine's floor is raised to it, the one case where a manifest's
 * wish cannot be met exactly.
 */
export function effectiveLimits(
  manifestLimits: Readonly<Partial<ResourceLimits>> = {},
  policy: Readonly<Partial<ResourceLimits & CallLimits>> = {},
  operator: Readonly<OperatorLimits> = {},
): EffectiveLimits {
  const base: EffectiveLimits = { ...DEFAULT_LIMITS, ...DEFAULT_CALL_LIMITS, ...policy };
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof ResourceLimits>) {
    const wanted = manifestLimits[key];
    if (typeof wanted === 'number' && wanted > 0 && wanted < base[key]) base[key] = wanted;
  }
  // The operator's word for this one plugin comes last: it may raise what the author lowered.
  if (operator.max_memory !== undefined && operator.max_memory > 0) base.max_memory = operator.max_memory;
  if (operator.call_deadline_ms !== undefined && operator.call_deadline_ms > 0) base.call_deadline_ms = operator.call_deadline_ms;
  base.max_memory = Math.max(base.max_memory, ENGINE_MIN_MEMORY);
  return base;
}

export function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes} bytes`;
}
