// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Transcendental Math functions whose last bits differ between JS engines. The simulation must be
 * bit-identical in Node and every browser (shared/DESIGN.md), so it builds its smooth curves from
 * + − × ÷, comparisons, Math.sqrt and integer operations instead.
 */
const INEXACT_MATH = [
  'exp', 'expm1', 'log', 'log1p', 'log2', 'log10', 'pow', 'cbrt', 'hypot',
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh',
];
const SIM_HINT = 'src/sim must be deterministic and bit-identical across engines (see shared/DESIGN.md)';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'coverage/', 'tmp/', '.scratch/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,js,mjs,cjs}'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The simulation: no randomness, clocks or engine-dependent maths.
    files: ['src/sim/**/*.ts'],
    languageOptions: { globals: { ...globals.es2021 } },
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: `Use the seeded generator in src/sim/random.ts; ${SIM_HINT}.` },
        ...INEXACT_MATH.map((property) => ({
          object: 'Math',
          property,
          message: `Math.${property} is not exact across engines; build it from + − × ÷ and Math.sqrt. ${SIM_HINT}.`,
        })),
        { object: 'globalThis', property: 'performance', message: `No clocks in the simulation; ${SIM_HINT}.` },
        { object: 'globalThis', property: 'Date', message: `No clocks in the simulation; ${SIM_HINT}.` },
        { object: 'window', message: `No DOM in the simulation; ${SIM_HINT}.` },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: `No clocks in the simulation; ${SIM_HINT}.` },
        { name: 'performance', message: `No clocks in the simulation; ${SIM_HINT}.` },
        { name: 'crypto', message: `Use the seeded generator in src/sim/random.ts; ${SIM_HINT}.` },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "BinaryExpression[operator='**'], AssignmentExpression[operator='**=']",
          message: `** is Math.pow: not exact across engines; multiply instead. ${SIM_HINT}.`,
        },
        {
          selector: "MemberExpression[object.name='Math'][computed=true]",
          message: `Name Math functions directly so the determinism rules can check them. ${SIM_HINT}.`,
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(packs|store|scenes|ui|i18n|scores|cli)(/|$)',
              message: 'The simulation imports nothing else of the project.',
            },
            { group: ['phaser', 'i18next', 'zustand'], message: 'The simulation stays free of view, i18n and store code.' },
          ],
        },
      ],
    },
  },
);
