module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: '@marathon/workspace-checks',
  testPathIgnorePatterns: ['/fixtures/'],
  // These tests run real subprocesses (nx, npm pack, tsc) against the built packages.
  testTimeout: 120_000,
};
