// Flat config. The domain lib must stay pure: only its own files may be imported there.
const tseslint = require('typescript-eslint');
const reactHooks = require('eslint-plugin-react-hooks');

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'apps/web/dist/**', '.nx/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  {
    // The SPA: hooks rules catch stale closures and conditional hooks.
    files: ['apps/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // Tests read JSON bodies loosely; production code may not.
    files: ['**/*.spec.ts', '**/*.fixture.ts', 'libs/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['libs/domain/**/*.spec.ts', 'libs/domain/src/testing-specification.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./)',
              message: 'The domain is pure: no framework, database, network or Node imports; only sibling domain files.',
            },
          ],
        },
      ],
    },
  },
  {
    // The devices' deciders are pure like the task's: sibling files, and types from the protocol.
    files: ['libs/devices/src/pure/**/*.ts'],
    ignores: ['libs/devices/src/pure/**/*.spec.ts', 'libs/devices/src/pure/decider.specification.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./)',
              allowTypeImports: true,
              message: 'Deciders are pure: no framework, database, network or Node imports; only sibling files and types.',
            },
          ],
        },
      ],
    },
  },
  {
    // On-call time (who is on call at an instant, DST, calendars) is pure: sibling files only.
    files: ['libs/oncall/src/pure/**/*.ts'],
    ignores: ['libs/oncall/src/pure/**/*.spec.ts', 'libs/oncall/src/pure/**/*.fixture.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./)', message: 'On-call time is pure: no framework, database, network or Node imports.' }] },
      ],
    },
  },
  {
    // Urgency reads ETAs from transparency; the other way round would be a cycle.
    files: ['libs/transparency/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@taskinbox/urgency', message: 'libs/urgency depends on libs/transparency, not the reverse.' }] }],
    },
  },
  {
    // The ETA and the status words are pure: sibling files only (the clock comes in as input).
    files: ['libs/transparency/src/pure/**/*.ts'],
    ignores: ['libs/transparency/src/pure/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./)', message: 'Transparency\'s pure code takes no framework, database, network or Node imports.' }] },
      ],
    },
  },
  {
    // The task types' decider is pure like the task's: sibling files only.
    files: ['libs/task-types/src/pure/**/*.ts'],
    ignores: ['libs/task-types/src/pure/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./)', message: 'Deciders are pure: no framework, database, network or Node imports; only sibling files.' }] },
      ],
    },
  },
  {
    // What the server and the agent share: the protocol, with three small libraries (cron times,
    // uuid v5, nkey signatures) and fetch for the agent's side of the HTTPS API.
    files: ['libs/device-protocol/**/*.ts'],
    ignores: ['libs/device-protocol/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./|croner$|uuid$|@nats-io/nkeys$)',
              message: 'The device protocol is pure: no framework, database, network or Node imports.',
            },
          ],
        },
      ],
    },
  },
  {
    // Readers and the writer of the read models meet only in libs/read-models.
    files: ['libs/query/**/*.ts', 'libs/read-models/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@taskinbox/projector', message: 'Read models live in @taskinbox/read-models.' }] }],
    },
  },
  {
    // Auth sits under everything that serves people: it may not lean on what it protects.
    files: ['libs/auth/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@taskinbox/(query|ingest|projector|read-models|messaging|webhooks)$',
              message: 'libs/auth depends only on config, database, domain and http.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['tools/**/*.js', '*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
