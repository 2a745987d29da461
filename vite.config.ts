import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  // Relative asset URLs, so the built game also runs from a sub-folder (a course site, an LMS).
  base: './',
  // The version written into exported score files.
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  build: {
    target: 'es2022',
    // Phaser alone is about 1.2 MB minified; it is lazy-loaded, so don't warn about it.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // Vite 8 bundles with rolldown: `codeSplitting.groups` replaces Rollup's manualChunks.
        codeSplitting: {
          groups: [
            // Phaser is only reached through the dynamic import in src/main.ts.
            { name: 'phaser', test: /node_modules[\\/]phaser[\\/]/, priority: 2 },
            // Libraries the first screen needs (i18next…); lazily used ones split automatically.
            { name: 'vendor', test: /node_modules[\\/]/, tags: ['$initial'], priority: 1 },
          ],
        },
      },
    },
  },
});
