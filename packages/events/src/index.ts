export { HookBus } from './hook-bus';
export type { HookBusOptions, ObservabilityOptions } from './hook-bus';
export { EventHistory, DEFAULT_HISTORY_CAPACITY } from './history';
export type { EventRecord, HistoryQuery } from './history';
export { HookMetricsTable } from './metrics';
export type { HookMetrics } from './metrics';
export { DurationHistogram, HISTOGRAM_RELATIVE_ERROR } from './histogram';
export { LifecycleEvents } from './lifecycle';
export type { LifecycleEventMap } from './lifecycle';
export { EventsError } from './errors';
export { MEASURED_DURATION_MS } from './handler-result';
export type { MeasuredResult } from './handler-result';
export type { EventsErrorCode } from './errors';
export type {
  Handler,
  HandlerInfo,
  HandlerFault,
  HandlerOutcome,
  DispatchOutcome,
  HookDataMap,
  RegisterOptions,
  RegisteredHandler,
  Registration,
} from './types';
