module.exports = { ...require('../../jest.preset.cjs'), displayName: '@marathon/plugin-kit', testTimeout: 60_000 };
