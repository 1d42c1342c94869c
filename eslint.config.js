import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const portOnly = 'Reach the store through its port (src/store/port.ts, opened by src/store/open.ts): an engine\'s adapter is its own business (docs/architecture.md, "The store port").'
const adapterOnly = 'Only the store adapters (src/store/sqlite, src/store/pg, src/db) reach a driver or write SQL; go through the store port (docs/architecture.md, "The store port").'

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
    // The drivers, the SQL builder and the Store handle belong to the store's adapters
    // (docs/architecture.md, "The store port"): the rest of attend reaches either engine through the
    // port. Type-only imports of the schema's row types stay allowed: they carry no query.
    files: ['src/**/*.ts'],
    ignores: ['src/db/**', 'src/store/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [
          {name: 'pg', message: adapterOnly},
          {name: 'better-sqlite3', message: adapterOnly},
          {name: 'drizzle-orm', message: adapterOnly},
        ],
        patterns: [
          {group: ['pg-*', 'drizzle-orm/*', 'better-sqlite3/*'], message: adapterOnly},
          {group: ['**/db/open.js', '**/db/open', '**/db/schema.js', '**/db/schema'], allowTypeImports: true, message: adapterOnly},
          {group: ['**/db/open.js', '**/db/open'], importNames: ['openStore'], message: adapterOnly},
          {group: ['**/store/sqlite/**', '**/store/pg/**'], message: portOnly},
        ],
      }],
      'no-restricted-syntax': ['error',
        {selector: "MemberExpression[object.name='store'][property.name='sqlite']", message: adapterOnly},
        {selector: "MemberExpression[object.name='store'][property.name='db']", message: adapterOnly},
        {selector: "MemberExpression[object.property.name='store'][property.name='sqlite']", message: adapterOnly},
        {selector: "MemberExpression[object.property.name='store'][property.name='db']", message: adapterOnly},
      ],
    },
  },
  {
    // Opens the process's SQLite handle: the one the port's SQLite adapter wraps (src/store/open.ts)
    // and the file attend backup copies with SQLite's backup API.
    files: ['src/base-command.ts'],
    rules: {'@typescript-eslint/no-restricted-imports': 'off'},
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
