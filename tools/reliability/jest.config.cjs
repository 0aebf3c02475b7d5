module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: '@marathon/reliability',
  // Each suite is bounded by its own size (kills, processes, runs, dispatches), not by a clock;
  // the timeout only catches a hang.
  testTimeout: 600_000,
};
