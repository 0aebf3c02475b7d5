module.exports = { ...require('../../jest.preset.cjs'), displayName: '@marathon/plugin-testing', testTimeout: 60_000 };
