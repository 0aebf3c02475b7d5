export { loadPlugin, TestPlugin, type LoadPluginOptions } from './plugin-harness';
export { PluginTestError, type PluginTestErrorCode } from './plugin-test-error';
export { testTask, taskEvent } from './test-task';
export type { ExecStub, FetchStub } from '@marathon/security/sandbox';
