module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: '@marathon/cli',
  testTimeout: 120_000,
  // The longest suite in `npm test`, and last to start (it needs every package built). Its files
  // mostly wait on the marathon processes they spawn, so two at a time keep both cores busy; jest's
  // default on 2 cores is one.
  maxWorkers: 2,
};
