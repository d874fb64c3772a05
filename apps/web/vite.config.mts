import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

// The admin SPA. Vite 8 compiles TSX itself (oxc, automatic JSX runtime); built into
// dist/web, which the HTTP server serves (WEB_APP_DIR). `npm run web:dev` proxies /api to :3000.
const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Writes file.br and file.gz beside each script, style, page, icon and manifest of the build
 * (public/ too), compressed as hard as the formats allow (once, at build time), for the server to
 * send as they are (libs/http web-app.ts).
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'taskinbox-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    // After the whole build is written, public/ copied in: the files are walked on disk, and
    // compressed on libuv's thread pool, all at once.
    async closeBundle() {
      const files = readdirSync(outDir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && /\.(js|css|html|svg|json|webmanifest)$/.test(entry.name))
        .map((entry) => join(entry.parentPath, entry.name))
        .filter((path) => !path.startsWith(join(outDir, '.vite'))); // the build manifest is not served to browsers
      await Promise.all(
        files.map(async (path) => {
          const data = await readFile(path);
          const brotli = { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: data.length };
          await writeFile(`${path}.br`, await promisify(brotliCompress)(data, { params: brotli }));
          await writeFile(`${path}.gz`, await promisify(gzip)(data, { level: 9 }));
        }),
      );
    },
  };
}

export default defineConfig(({ command }) => ({
  root,
  plugins: [precompress()],
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: {
    alias: {
      '@taskinbox/domain': fileURLToPath(new URL('../../libs/domain/src/index.ts', import.meta.url)),
      // The typed API client (openapi-fetch over the generated schema) without the package's
      // webhook verifier, which the SPA never uses; the schema's types come through tsconfig.
      '@taskinbox/client': fileURLToPath(new URL('../../libs/client/src/api.client.ts', import.meta.url)),
      // React Router's package exports only its development build (dev warnings on, route checks
      // on every render); the build takes the production one it ships beside it.
      ...(command === 'build' && { 'react-router': fileURLToPath(new URL('../../node_modules/react-router/dist/production/index.mjs', import.meta.url)) }),
    },
  },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // .vite/manifest.json: which chunks each page loads, read by the first-load size budget test.
    manifest: true,
    rolldownOptions: {
      // React libraries mark client modules with "use client"; meaningless in an SPA bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
}));
