/** Three tiers: unit (*.spec.ts beside the code), integration and e2e (test/). */
const transform = { '^.+\\.(t|j)s$': ['@swc/jest'] };
const common = { transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };
module.exports = {
  // a timeout detects a hang; it measures nothing
  testTimeout: 120000,
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
