import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Unit tests run in plain Node: no DOM, no WebGL, so nothing they import may pull in Phaser.
    environment: 'node',
    include: ['tests/unit/**/*.test.ts'],
    passWithNoTests: false,
  },
});
