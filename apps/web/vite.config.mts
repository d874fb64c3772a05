import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The admin SPA. Vite 8 compiles TSX itself (oxc, automatic JSX runtime); built into
// dist/web, which the HTTP server serves (WEB_APP_DIR). `npm run web:dev` proxies /api to :3000.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: { alias: { '@taskinbox/domain': fileURLToPath(new URL('../../libs/domain/src/index.ts', import.meta.url)) } },
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
