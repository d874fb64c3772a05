// Test kinds are told apart by file name: *.unit.spec.ts, *.int.spec.ts, *.e2e.spec.ts.
const preset = require('./jest.preset');

const kind = (name, extra = {}) => ({
  ...preset,
  displayName: name,
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools'],
  testMatch: [`**/*.${name}.spec.ts`],
  ...extra,
});

// Integration and end-to-end tests get a migrated template database and this run's own nats-server.
// Their hooks start whole applications: on a loaded CI machine that can pass Jest's default 5 s,
// and a start that outlives its beforeAll runs on into the next suites of that worker.
const services = {
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/libs/testing/src/services-timeout.setup.ts'],
};

module.exports = {
  projects: [
    kind('unit'),
    kind('int', services),
    kind('e2e', services),
  ],
};
