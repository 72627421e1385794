// Lint: the import arrows of DESIGN.md (no deep imports of another package's src) and the code rules of STYLE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const internal = (pkg) => [`@unitrace/${pkg}`, `@unitrace/${pkg}/*`];
const forbid = (pkgs, why) =>
  pkgs.flatMap((p) => internal(p).map((name) => ({ group: [name], message: why })));

/** Which workspace packages each package may not import (DESIGN.md: package arrows). */
const arrows = {
  'packages/core': ['backend-simple', 'backend-stderr', 'backend-ust-json', 'emulator', 'firmware-sdk', 'tools'],
  'packages/backend-simple': ['backend-stderr', 'backend-ust-json', 'emulator', 'firmware-sdk', 'tools'],
  'packages/backend-stderr': ['backend-simple', 'backend-ust-json', 'emulator', 'firmware-sdk', 'tools'],
  'packages/backend-ust-json': ['backend-simple', 'backend-stderr', 'emulator', 'firmware-sdk', 'tools'],
  'packages/emulator': ['backend-simple', 'backend-stderr', 'backend-ust-json', 'firmware-sdk', 'tools'],
  'packages/firmware-sdk': ['backend-simple', 'backend-stderr', 'backend-ust-json', 'emulator', 'tools'],
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.nx/**', '**/test/fixtures/**', '**/test/golden/**', 'tmp/**', 'bench/.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setImmediate: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', SharedArrayBuffer: 'readonly', Atomics: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly' } },
    rules: {
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'Export names explicitly (no export *).' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      'no-control-regex': 'off',
    },
  },
  ...Object.entries(arrows).map(([dir, banned]) => ({
    files: [`${dir}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbid(banned, `DESIGN.md: ${dir} may not import this package.`),
            { group: ['@unitrace/*/src/*', '@unitrace/*/src'], message: 'Import a package through its public entry, never its src.' },
          ],
        },
      ],
    },
  })),
  {
    files: ['tools/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@unitrace/*/src/*', '@unitrace/*/src'], message: 'Import a package through its public entry, never its src.' }] }],
    },
  },
);
