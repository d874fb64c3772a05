module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': '<rootDir>/tools/jest/transform.js' },
  // Everything goes through the transformer, which leaves CommonJS in node_modules as it is.
  transformIgnorePatterns: [],
  // file-type exports only `import`/`module-sync` conditions, which Jest's resolver does not try.
  moduleNameMapper: { '^file-type$': '<rootDir>/node_modules/file-type/index.js' },
};
