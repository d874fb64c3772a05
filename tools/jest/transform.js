// Jest on Node < 24.9 cannot require() ES modules, and Nest 12 and several of its dependencies
// ship only ES modules. This transformer compiles our TypeScript and any ES-module file in
// node_modules to CommonJS with SWC, and passes CommonJS files through untouched.
const fs = require('node:fs');
const path = require('node:path');
const { createTransformer } = require('@swc/jest');

const root = path.resolve(__dirname, '../..');
const swc = createTransformer({
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
    // Rewrites @taskinbox/* like tools/build.js does; globalSetup runs outside Jest's module mapper.
    baseUrl: root,
    paths: { '@taskinbox/*': ['libs/*/src/index.ts'] },
  },
  module: { type: 'commonjs' },
});

const moduleTypeOfDir = new Map();
function isEsm(filename) {
  if (filename.endsWith('.mjs')) return true;
  if (filename.endsWith('.cjs')) return false;
  let dir = path.dirname(filename);
  const seen = [];
  while (!moduleTypeOfDir.has(dir)) {
    seen.push(dir);
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      moduleTypeOfDir.set(dir, JSON.parse(fs.readFileSync(manifest, 'utf8')).type === 'module');
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      moduleTypeOfDir.set(dir, false);
      break;
    }
    dir = parent;
  }
  const esm = moduleTypeOfDir.get(dir);
  for (const visited of seen) moduleTypeOfDir.set(visited, esm);
  return esm;
}

module.exports = {
  canInstrument: false,
  getCacheKey(source, filename, options) {
    return swc.getCacheKey(source, filename, options) + (isEsm(filename) ? ':esm' : ':cjs');
  },
  process(source, filename, options) {
    if (filename.includes(`${path.sep}node_modules${path.sep}`) && !isEsm(filename)) return { code: source };
    return swc.process(source, filename, options);
  },
};
