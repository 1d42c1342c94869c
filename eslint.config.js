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
    // The PostgreSQL driver belongs to the store's adapters (docs/architecture.md, "The store port"):
    // the rest of attend reaches PostgreSQL through the port. SQLite's driver follows as its code
    // moves behind the port.
    files: ['src/**/*.ts'],
    ignores: ['src/db/**', 'src/store/**', 'src/commands/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{name: 'pg', message: 'Only the store adapters (src/store/pg, src/db) use the PostgreSQL driver; go through the store port.'}],
        patterns: [{group: ['pg-*', 'drizzle-orm/node-postgres', 'drizzle-orm/pg-core'], message: 'Only the store adapters (src/store/pg, src/db) use the PostgreSQL driver; go through the store port.'}],
      }],
    },
  },
  {
    // The status page's script runs in the browser, as shipped (no build step).
    files: ['assets/dashboard/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {document: 'readonly', location: 'readonly', fetch: 'readonly', EventSource: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly'},
    },
    rules: {
      // Server values become text nodes; markup from strings is how names turn into script.
      'no-restricted-properties': ['error',
        {property: 'innerHTML', message: 'Build elements and set textContent: every value is text.'},
        {property: 'outerHTML', message: 'Build elements and set textContent: every value is text.'},
        {property: 'insertAdjacentHTML', message: 'Build elements and set textContent: every value is text.'},
      ],
      'no-restricted-syntax': ['error', {selector: "CallExpression[callee.property.name='write'][callee.object.name='document']", message: 'No document.write.'}],
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
