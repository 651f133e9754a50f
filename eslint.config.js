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

const PBX_FOLDERS = ['viptel', 'innovaphone', 'basix', 'harmony', 'simulator'];

/** The layering the architecture rests on, as import bans (each block repeats the electron ban it overrides). */
const engineBans = [
  {
    group: ['**/electron/**', '**/main/electron', '**/headless/**', '**/headless'],
    message: 'The engine never imports the Electron layer or the headless runner.',
  },
];

/** A config block banning, for `files`, the engine bans plus imports matching `group`. */
function layer(files, group, message, extra = {}) {
  const patterns = group ? [...engineBans, { group, message }] : engineBans;
  return { files, ...extra, rules: { 'no-restricted-imports': ['error', { ...electronImports, patterns }] } };
}

const layering = [
  layer(['src/main/engine/**'], null, '', {
    ignores: ['src/main/engine/pbx/**', 'src/main/engine/patriot/**'],
  }),
  layer(
    ['src/main/engine/patriot/**'],
    ['**/bridge/**', '**/pbx/**'],
    'The Patriot protocol knows neither the Bridge nor any PBX.',
  ),
  ...PBX_FOLDERS.map((pbx) =>
    layer(
      [`src/main/engine/pbx/${pbx}/**`],
      [
        ...PBX_FOLDERS.filter((other) => other !== pbx).map((other) => `**/${other}/**`),
        '**/patriot/**',
        '**/bridge/**',
      ],
      `A PBX folder holds one protocol: ${pbx}/ may use ../adapter and ../common, never another PBX, the Bridge or Patriot.`,
    ),
  ),
  layer(
    ['src/main/engine/pbx/common/**', 'src/main/engine/pbx/*.ts'],
    ['**/patriot/**', '**/bridge/**'],
    'PBX plumbing knows neither the Bridge nor Patriot.',
  ),
];

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
  ...layering,
  {
    files: ['src/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value='zod'][importKind='value'] > ImportSpecifier[imported.name='z']",
          message:
            "Use `import * as z from 'zod'`: esbuild cannot shake zod's `z` namespace export, which drags ~40 locales (366 KB) into the bridge bundle and slows its start.",
        },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
