module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': '<rootDir>/tools/jest/transform.js' },
  // Everything goes through the transformer, which leaves CommonJS in node_modules as it is.
  transformIgnorePatterns: [],
};
