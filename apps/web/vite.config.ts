import { defineConfig } from 'vite';

// The page is plain static files served by the agent under a strict CSP: one bundled script
// file and one stylesheet, no inline script, nothing fetched from elsewhere.
export default defineConfig({
  root: 'src',
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    // Vite's modulepreload polyfill is bundled code, but the page has a single chunk anyway.
    modulePreload: false,
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
