// ESLint (flat config): typescript-eslint's recommended rules everywhere, plus the few
// type-aware rules that catch real bugs here (a promise nobody awaits or catches, a promise
// passed where a callback's result is ignored); React hooks and jsx-a11y for the renderer.
// Formatting is Prettier's job (.prettierrc.json), so no stylistic rules.
import js from '@eslint/js'
import jsxA11y from 'eslint-plugin-jsx-a11y'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'dist/**', '.artifacts/**', '.sandbox-data/**', '**/proto/gen/**', 'test/bench/baseline/**']
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.node.json', './tsconfig.web.json'],
        tsconfigRootDir: import.meta.dirname
      }
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }]
    }
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'test/unit/renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.flat['recommended-latest'].rules,
      // These rules check what the React Compiler needs to memoize a component for you; Junction
      // does not use the compiler and memoizes by hand (memo, useCallback, the virtual list's
      // refs read during render by design), so they would only flag that choice. The hook
      // rules that catch bugs — rules-of-hooks and exhaustive-deps — stay errors.
      'react-hooks/refs': 'off',
      'react-hooks/immutability': 'off',
      'react-hooks/preserve-manual-memoization': 'off',
      'react-hooks/set-state-in-effect': 'off',
      'react-hooks/purity': 'off',
      'react-hooks/exhaustive-deps': 'error'
    }
  },
  {
    files: ['src/renderer/**/*.tsx'],
    ...jsxA11y.flatConfigs.recommended,
    rules: {
      ...jsxA11y.flatConfigs.recommended.rules,
      // Every autoFocus here moves focus into a dialog or palette the person just opened, as the
      // WAI-ARIA dialog pattern asks; none moves it on page load.
      'jsx-a11y/no-autofocus': 'off'
    }
  }
)
