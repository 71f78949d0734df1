// ESLint over src/, test/ and media/ (`npm run lint`, a layer of `npm test`), zero warnings allowed.
//
// Type-aware rules run on src/ only: they are what catches a forgotten promise in the extension,
// and the type service over test/ too would double the lint time for little gain.
import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Rules every TypeScript and JavaScript file shares. */
const shared = {
  eqeqeq: ['error', 'always', { null: 'ignore' }],
  'no-var': 'error',
  'prefer-const': 'error',
  // A disable comment must say why, on the same line: `// eslint-disable-next-line rule -- reason`.
  '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }],
  '@eslint-community/eslint-comments/no-unlimited-disable': 'error',
  '@eslint-community/eslint-comments/disable-enable-pair': ['error', { allowWholeFile: true }],
};

const unusedVars = ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }];

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'bench-results/**', '.demo/**'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  comments.recommended,

  // TypeScript: src/ and test/.
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      ...shared,
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': unusedVars,
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },

  // The extension: type-aware (promises, unnecessary assertions).
  {
    files: ['src/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },

  // Tests and harness run in Node; the integration suites and e2e specs run under mocha.
  {
    files: ['test/**/*.ts', 'test/**/*.mjs', '*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['test/integration/**', 'test/untrusted/**', 'test/e2e/**'],
    languageOptions: { globals: { ...globals.mocha } },
  },
  // Playwright runs the callbacks given to page.evaluate / waitForFunction in the browser.
  {
    files: ['test/e2e/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.mjs'],
    rules: { ...shared, 'no-unused-vars': unusedVars },
  },

  // The webview script: browser JS with // @ts-check, no modules.
  {
    files: ['media/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { ...globals.browser, acquireVsCodeApi: 'readonly' },
    },
    rules: { ...shared, 'no-unused-vars': unusedVars },
  },
);
