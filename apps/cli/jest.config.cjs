module.exports = { ...require('../../jest.preset.cjs'), displayName: '@marathon/cli', testTimeout: 120_000 };
