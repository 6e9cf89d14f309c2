/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Types are checked once by `tsc --noEmit` in `npm test`; ts-jest only transpiles (isolatedModules).
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  globalSetup: '<rootDir>/test/globalSetup.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
