import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Every .ts, .js, .mjs and .cjs file of the repo is linted, build output and caches aside;
// test/docs/lint-coverage.spec.ts holds to that.
/** The no-unsafe-* rules, off where values are `any` by nature (test payloads, untyped scripts). */
const noUnsafeAny = {
  '@typescript-eslint/no-unsafe-assignment': 'off',
  '@typescript-eslint/no-unsafe-member-access': 'off',
  '@typescript-eslint/no-unsafe-argument': 'off',
  '@typescript-eslint/no-unsafe-call': 'off',
  '@typescript-eslint/no-unsafe-return': 'off',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      ...noUnsafeAny,
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Node scripts (scripts/, deploy/, build and tool configs): ESM as .mjs, CommonJS as .cjs and .js.
    // Their types come from tsconfig.js.json, inferred only: most values are `any`, so the no-unsafe-*
    // rules would flag every call; the promise rules and the rest of the type-aware set still hold.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: globals.node,
      parserOptions: { project: './tsconfig.js.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      ...noUnsafeAny,
    },
  },
  {
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Run by mongosh inside the mongo container, which provides these.
    files: ['deploy/mongo/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { db: 'readonly', rs: 'readonly', print: 'readonly', quit: 'readonly' },
    },
  },
);
