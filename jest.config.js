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
const services = {
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
};

module.exports = {
  projects: [
    kind('unit'),
    kind('int', services),
    kind('e2e', services),
  ],
};
