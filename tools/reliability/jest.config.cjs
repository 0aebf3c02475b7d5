module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: '@marathon/reliability',
  // Each suite is bounded by its own size (kills, processes, runs, dispatches), not by a clock;
  // the timeout only catches a hang.
  testTimeout: 600_000,
  // The suites are mostly subprocesses and a worker thread waiting on each other: two at a time
  // keep both cores busy once the other projects' tests are done.
  maxWorkers: 2,
};
