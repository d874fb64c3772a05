// Compiles apps/, libs/ and tools/ to dist/ with SWC (CommonJS, decorator metadata),
// rewriting @taskinbox/* imports to relative paths so plain `node` runs the output.
const { transformFileSync } = require('@swc/core');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist');
const skip = /(\.spec\.ts|\.fixture\.ts|\.d\.ts)$/; // tests and their fixtures stay out of dist

function* sources(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'web') yield* sources(full);
    } else if (entry.name.endsWith('.ts') && !skip.test(entry.name)) yield full;
  }
}

// dist/web (the SPA, built by Vite: npm run build:web) is left alone.
for (const top of ['apps', 'libs', 'tools']) fs.rmSync(path.join(out, top), { recursive: true, force: true });
let count = 0;
for (const top of ['apps', 'libs', 'tools']) {
  for (const file of sources(path.join(root, top))) {
    const { code, map } = transformFileSync(file, {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        keepClassNames: true,
        baseUrl: root,
        paths: { '@taskinbox/*': ['libs/*/src/index.ts'] },
      },
      module: { type: 'commonjs' },
      sourceMaps: true,
      filename: file,
    });
    const target = path.join(out, path.relative(root, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
    fs.writeFileSync(`${target}.map`, map);
    count++;
  }
}
console.log(`built ${count} files into dist/`);
