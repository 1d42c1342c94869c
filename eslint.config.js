import js from '@eslint/js'
import tseslint from 'typescript-eslint'

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
    // Moves with the serve conversion (i15-serve): these still hold the SQLite handle until then.
    files: [
      'src/webhooks/deliveries-store.ts', 'src/webhooks/endpoints-store.ts', 'src/webhooks/service.ts', 'src/webhooks/background.ts',
      'src/server/app.ts', 'src/server/start.ts', 'src/server/checkpointer.ts', 'src/server/store-probe.ts', 'src/server/deps.ts',
      'src/server/auth/rate-limit.ts', 'src/commands/serve.ts', 'src/commands/webhooks/**/*.ts',
    ],
    rules: {'@typescript-eslint/no-restricted-imports': 'off', 'no-restricted-syntax': 'off'},
  },
  {
    // Opens the SQLite handle that `this.store()` hands the commands not yet on the port (pull,
    // backup, serve, webhooks) and that the port's SQLite adapter wraps: goes when they have moved.
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
