module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: '@marathon/security',
  // Sandboxes start worker threads and WebAssembly engines.
  testTimeout: 30_000,
};
