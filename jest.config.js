/** Three tiers: unit (*.spec.ts beside the code), integration and e2e (test/). */
const os = require('node:os');
const transform = { '^.+\\.(t|j)s$': ['@swc/jest'] };
const common = { transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };
module.exports = {
  // a timeout detects a hang; it measures nothing
  testTimeout: 120000,
  // Two files at once at least: the suite waits on timers, workers and PostgreSQL more than it computes
  // (on 2 cores Jest's default of one file at a time took 12 min 24 s, two at once 8 min 0 s). Each file has its own
  // database and Redis key prefix, so files never share state.
  maxWorkers: Math.max(2, (os.availableParallelism?.() ?? os.cpus().length) - 1),
  projects: [
    { ...common, displayName: 'unit', rootDir: '.', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      // every HTTP answer of a test is checked against the OpenAPI document
      setupFilesAfterEnv: ['<rootDir>/test/support/check-responses.ts'],
    },
  ],
};
