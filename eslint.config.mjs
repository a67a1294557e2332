// Lint for the whole repository: typescript-eslint's recommended rules for TypeScript, ESLint's for the
// plain-ESM build and test scripts (they run on bare Node before dependencies exist).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'fetch', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate'].map((name) => [name, 'readonly']),
);

export default defineConfig(
  { ignores: ['dist/', 'out/', 'node_modules/', '.cache/', 'test-results/', 'samples/', 'bench/.data/', '**/*.d.ts'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { sourceType: 'module', globals: nodeGlobals },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // `require` is how the bundles load native and optional modules lazily.
      '@typescript-eslint/no-require-imports': 'off',
      // Log content is hostile: code that neutralises control characters has to name them.
      'no-control-regex': 'off',
    },
  },
);
