// Shared jest settings. Tests run against workspace packages' TypeScript sources through the
// "@marathon/source" export condition, so a dependency need not be built before its dependents' tests.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testEnvironmentOptions: {
    customExportConditions: ['@marathon/source', 'node', 'require', 'default'],
  },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'cjs', 'mjs', 'json'],
};
