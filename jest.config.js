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

module.exports = {
  projects: [
    kind('unit'),
    kind('int', { globalSetup: '<rootDir>/libs/testing/src/global-setup.ts' }),
    kind('e2e', { globalSetup: '<rootDir>/libs/testing/src/global-setup.ts' }),
  ],
};
