module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: '@marathon/cli',
  testTimeout: 120_000,
  // The longest suite in `npm test`. Its files mostly wait on the marathon processes they spawn, so
  // two at a time keep both cores busy; jest's default on 2 cores is one. Nx runs it as the target
  // `jest`, which `test` depends on: Nx starts first the ready tasks that others wait for, so this
  // one starts as soon as the builds are done instead of after every other project's tests (Nx
  // orders the rest by how many projects depend on theirs, and none depend on the CLI's).
  maxWorkers: 2,
};
