import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'build/',
      'build-cross/',
      'test/e2e/.tools/',
      'bench/.work/',
      'bench/.venv/',
      'test/.work/',
      'artifacts/',
      'test-results/',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        require: 'readonly',
        __dirname: 'readonly',
        module: 'writable',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'vscode', 'fs', 'path', 'child_process'] }],
    },
  },
  {
    // Model code, and every module the view worker thread loads (a worker has no `vscode`).
    files: [
      'extension/model/**/*.ts',
      'extension/format/**/*.ts',
      'extension/session/**/*.ts',
      'extension/testing/**/*.ts',
      'extension/mcp/**/*.ts',
      'extension/agent/profileSummary.ts',
      'extension/agent/toolMessages.ts',
      'extension/contributions/commandIds.ts',
      'extension/contributions/settingsSchema.ts',
      'extension/views/**/*.ts',
      'extension/**/*Model.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', { paths: ['vscode'] }],
    },
  },
);
