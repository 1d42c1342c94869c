import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'drizzle/**', 'coverage/**', 'tmp/**']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly'},
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      'no-console': 'off',
    },
  },
  {
    files: ['src/commands/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          {name: 'better-sqlite3', message: 'Commands call services in src/; they do not reach the database.'},
          {name: 'drizzle-orm', message: 'Commands call services in src/; they do not reach the database.'},
          {name: 'pg', message: 'Commands call services in src/; they do not reach the database.'},
        ],
        patterns: [{group: ['drizzle-orm/*', 'better-sqlite3/*', 'pg-*'], message: 'Commands call services in src/; they do not reach the database.'}],
      }],
    },
  },
)
