import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

// The admin SPA. Vite 8 compiles TSX itself (oxc, automatic JSX runtime); built into
// dist/web, which the HTTP server serves (WEB_APP_DIR). `npm run web:dev` proxies /api to :3000.
const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Writes file.br and file.gz beside each script, style and page, compressed as hard as the
 * formats allow (once, at build time), for the server to send as they are (libs/http web-app.ts).
 */
function precompress(): Plugin {
  return {
    name: 'taskinbox-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const file of Object.keys(bundle)) {
        if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
        const path = join(options.dir!, file);
        const data = readFileSync(path);
        const brotli = { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: data.length };
        writeFileSync(`${path}.br`, brotliCompressSync(data, { params: brotli }));
        writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root,
  plugins: [precompress()],
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: {
    alias: {
      '@taskinbox/domain': fileURLToPath(new URL('../../libs/domain/src/index.ts', import.meta.url)),
      // The typed API client (openapi-fetch over the generated schema) without the package's
      // webhook verifier, which the SPA never uses; the schema's types come through tsconfig.
      '@taskinbox/client': fileURLToPath(new URL('../../libs/client/src/api.client.ts', import.meta.url)),
    },
  },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      // React libraries mark client modules with "use client"; meaningless in an SPA bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
