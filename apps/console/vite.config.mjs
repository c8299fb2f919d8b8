// Two pages in one bundle of static files (dist/apps/console) that server.mjs serves next to the API proxy:
// the staff console (index.html) and the customer's dispute page a wallet opens in its webview
// (customer/index.html). They share only what they import, so the customer page carries no console code.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const workspace = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  resolve: {
    alias: [
      // The typed client straight from its source (tsconfig.base paths are for tsc, not for Vite).
      { find: /^@recourse\/client$/, replacement: `${workspace}libs/client/src/index.ts` },
      // The client imports openapi-fetch's CommonJS build by path for Node; the browser takes its ES module.
      { find: /^openapi-fetch\/dist\/index\.cjs$/, replacement: `${workspace}node_modules/openapi-fetch/dist/index.mjs` },
    ],
  },
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { input: { console: `${root}index.html`, customer: `${root}customer/index.html` } },
  },
});
