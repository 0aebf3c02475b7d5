module.exports = { ...require('../../jest.preset.cjs'), displayName: '@marathon/manager', testTimeout: 120_000 };
