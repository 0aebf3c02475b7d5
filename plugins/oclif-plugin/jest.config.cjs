module.exports = { ...require('../../jest.preset.cjs'), displayName: '@marathon/oclif-plugin' };
