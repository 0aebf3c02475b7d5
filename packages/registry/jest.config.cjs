module.exports = { ...require('../../jest.preset.cjs'), displayName: '@marathon/registry', testTimeout: 60_000 };
