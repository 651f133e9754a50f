import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const electronImports = {
  paths: [
    {
      name: 'electron',
      message: 'The engine is electron-free: only src/main/electron and src/preload may import electron.',
    },
    { name: 'electron-store', message: 'Settings storage belongs to src/main/electron.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'release/', 'coverage/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/main/engine/**', 'src/main/headless/**', 'src/shared/**', 'src/renderer/**'],
    rules: { 'no-restricted-imports': ['error', electronImports] },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
