import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * No inline scripts, no eval, nothing from other origins. img-src allows data:/blob: for the
 * textures Phaser builds at boot; connect-src allows https: only so an instructor can load a lesson
 * pack from a link (?pack=…).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' data: blob:; font-src 'self'; connect-src 'self' https:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'";

/**
 * The policy goes into the built page only: the dev server injects the CSS that modules import
 * as <style> elements, which the policy (rightly) forbids. The e2e suite runs on the build.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  plugins: [contentSecurityPolicy()],
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
