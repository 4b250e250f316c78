// @ts-check
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'worker_threads']
/** A folder of src as an import pattern, whether imported as a folder or a file in it, from any depth
 * ('../db/x' and '../../db/x' alike: a pattern such as '../db/*' holds only one level down). */
const dir = (name) => [`**/${name}`, `**/${name}/**`]

const IO_LIBRARIES = ['better-sqlite3', 'kysely', 'stripe', 'exceljs', 'pdfkit']

/** The layer rule: each folder names what it may not reach (type-only imports are allowed). */
function forbid(files, patterns, message) {
  return {
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: patterns, message, allowTypeImports: true }] }],
    },
  }
}

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'dist-web', '.cache', '.data', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  forbid(['src/shared/**'], [...NODE_BUILTINS, ...IO_LIBRARIES, 'electron', 'react', 'react-dom', ...dir('core'), ...dir('renderer'), ...dir('main')],
    'src/shared is the contract: pure TypeScript that both sides can load.'),
  forbid(['src/core/**'], ['electron', 'react', 'react-dom', 'react-intl', ...dir('renderer'), ...dir('main'), ...dir('preload'), ...dir('web')],
    'src/core runs under plain Node: no Electron, no React, no transport.'),
  forbid(['src/core/domain/**'], [...NODE_BUILTINS, ...IO_LIBRARIES, 'electron', 'react', ...dir('db'), ...dir('services'), ...dir('api'), ...dir('adapters'), ...dir('demo')],
    'src/core/domain holds pure rules: no IO, no database, no services.'),
  forbid(['src/renderer/**'], [...NODE_BUILTINS, ...IO_LIBRARIES, 'electron', ...dir('core'), ...dir('main'), ...dir('web')],
    'The renderer is sandboxed: it reaches the core only through the contract.'),
  forbid(['src/preload/**'], [...NODE_BUILTINS, ...IO_LIBRARIES, ...dir('core'), ...dir('renderer'), 'react'],
    'The preload exposes one function and nothing else.'),
  {
    files: ['scripts/**', 'bench/**', 'src/web/main.ts', 'src/core/demo/cli.ts'],
    rules: { 'no-console': 'off' },
  },
)
