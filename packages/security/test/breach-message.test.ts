import {
  cpuLimitMessage,
  deadlineMessage,
  loadFailedMessage,
  lostCallMessage,
  memoryLimitMessage,
  stackLimitMessage,
  stoppedEarlierMessage,
  workerLossReason,
} from '../src/sandbox/breach-message';

// The sentences operators and the audit trail read when a limit stops a plugin, whichever of the
// engine, the worker or the host noticed (the hostile-plugin and worker-loss suites see them in use).
it('names the plugin and the limit it broke', () => {
  expect(memoryLimitMessage('hog', { max_memory: 32 * 1024 * 1024 })).toBe("plugin 'hog' exceeded its memory limit of 32 MiB");
  expect(memoryLimitMessage('hog', { max_memory: 1000 })).toBe("plugin 'hog' exceeded its memory limit of 1000 bytes");
  expect(cpuLimitMessage('spin', { max_cpu_time_ms: 250 })).toBe("plugin 'spin' exceeded its CPU time limit of 250 ms");
  expect(stackLimitMessage('deep', { max_stack_bytes: 512 * 1024 })).toBe("plugin 'deep' recursed too deeply (stack limit 512 KiB)");
  expect(deadlineMessage('slow', 5000)).toBe("plugin 'slow' did not finish within its deadline of 5000 ms");
  expect(deadlineMessage('slow', 5000, true)).toBe("plugin 'slow' did not finish within its deadline of 5000 ms (its worker was stopped)");
});

it('tells the other calls what became of them', () => {
  expect(stoppedEarlierMessage('hog', 'MEMORY_LIMIT_EXCEEDED')).toBe(
    "plugin 'hog' was stopped by an earlier call (MEMORY_LIMIT_EXCEEDED) before this call ran",
  );
  const blamed = workerLossReason({ culprit: 'slow', stopped: true, lostBecause: 'x' });
  expect(blamed).toBe("its sandbox worker was stopped because plugin 'slow' overran its deadline");
  expect(workerLossReason({ culprit: undefined, stopped: true, lostBecause: 'x' })).toBe('its sandbox worker was stopped');
  expect(workerLossReason({ stopped: false, lostBecause: 'exit code 1' })).toBe('its sandbox worker was lost (exit code 1)');
  expect(lostCallMessage('near', 'not_run', blamed)).toBe(`plugin 'near' did not run: ${blamed}`);
  expect(lostCallMessage('near', 'result_lost', blamed)).toBe(`plugin 'near' ran, but its result was lost: ${blamed}`);
  expect(lostCallMessage('near', 'interrupted', blamed)).toBe(`plugin 'near' was interrupted: ${blamed}`);
  expect(lostCallMessage('near', 'not_loaded', blamed)).toBe(`plugin 'near' could not load: ${blamed}`);
  expect(lostCallMessage('near', 'not_run')).toBe("plugin 'near' did not run");
});

it('says a plugin failed to load, and why', () => {
  expect(loadFailedMessage('broken', 'SyntaxError: unexpected token')).toBe(
    "plugin 'broken' failed to load: SyntaxError: unexpected token",
  );
});
