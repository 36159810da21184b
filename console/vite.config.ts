/**
 * The operator console's build (docs/console.md#the-application): Preact through @preact/preset-vite, served by
 * the admin listener under /console/ from dist/console. Nothing is inlined (the CSP allows only 'self' scripts,
 * styles, fonts and images: no data: fonts, no inline script), and the output is hashed so the server can cache
 * assets for good.
 */
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/console/',
  plugins: [preact({ prerender: { enabled: false } })],
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
    reportCompressedSize: false,
  },
});
