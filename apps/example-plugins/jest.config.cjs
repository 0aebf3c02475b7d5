module.exports = { ...require('../../jest.preset.cjs'), displayName: '@marathon/example-plugins', testTimeout: 120_000 };
