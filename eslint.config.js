// Flat config. The domain lib must stay pure: only its own files may be imported there.
const fs = require('node:fs');
const path = require('node:path');
const tseslint = require('typescript-eslint');
const reactHooks = require('eslint-plugin-react-hooks');

/**
 * Which libs each lib's own code may import: dependencies point one way. A new lib, or a new
 * edge, is a decision made here; the config refuses to load with a lib missing or a cycle.
 * Tests compose freely (they may start whatever they need).
 */
const libDependencies = {
  config: [],
  domain: [],
  'device-protocol': [],
  client: [],
  // Wall-clock time in IANA zones: on-call shifts, quiet hours and working hours all need it.
  'zoned-time': [],
  database: ['config'],
  telemetry: ['config'],
  http: ['config', 'domain', 'telemetry'],
  'event-store': ['config', 'database', 'metrics', 'telemetry'],
  auth: ['config', 'database', 'domain', 'http'],
  // The process registry and /metrics: libraries register their figures in it.
  metrics: ['auth', 'config'],
  'read-models': ['config', 'database', 'device-protocol', 'domain'],
  'task-types': ['auth', 'config', 'database', 'domain', 'http'],
  messaging: ['auth', 'config', 'database', 'device-protocol', 'domain', 'event-store', 'http', 'telemetry'],
  'nats-accounts': ['auth', 'config', 'database', 'device-protocol', 'http', 'messaging'],
  testing: ['auth', 'config', 'database', 'domain', 'event-store', 'http', 'messaging', 'metrics', 'nats-accounts'],
  projector: ['database', 'domain', 'event-store', 'http', 'read-models', 'telemetry'],
  query: ['auth', 'config', 'database', 'domain', 'event-store', 'http', 'messaging', 'metrics', 'read-models'],
  ingest: ['auth', 'database', 'domain', 'event-store', 'http', 'messaging', 'task-types'],
  webhooks: ['auth', 'config', 'database', 'http', 'messaging', 'metrics', 'telemetry'],
  health: ['auth', 'config', 'database', 'event-store', 'messaging', 'metrics', 'projector'],
  slo: ['auth', 'database', 'event-store', 'http', 'metrics', 'read-models'],
  attachments: ['auth', 'config', 'database', 'http', 'ingest', 'metrics', 'webhooks'],
  inbound: ['auth', 'config', 'database', 'domain', 'http', 'ingest', 'webhooks'],
  devices: ['auth', 'config', 'database', 'device-protocol', 'event-store', 'http', 'ingest', 'messaging', 'nats-accounts'],
  oncall: ['auth', 'config', 'database', 'domain', 'event-store', 'http', 'ingest', 'zoned-time'],
  notifications: ['auth', 'config', 'database', 'domain', 'event-store', 'http', 'ingest', 'metrics', 'oncall', 'webhooks', 'zoned-time'],
  'task-actions': ['auth', 'config', 'database', 'domain', 'event-store', 'http', 'ingest', 'metrics', 'task-types', 'webhooks'],
  transparency: ['auth', 'config', 'database', 'domain', 'event-store', 'http', 'ingest', 'oncall', 'query', 'read-models', 'task-types', 'zoned-time'],
  urgency: ['auth', 'config', 'database', 'http', 'read-models', 'slo', 'transparency'],
};

function layeringRules() {
  const libs = fs.readdirSync(path.join(__dirname, 'libs'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  const missing = libs.filter((lib) => !libDependencies[lib]);
  if (missing.length > 0) throw new Error(`eslint.config.js: add libs/${missing.join(', libs/')} to libDependencies`);
  const state = {};
  const visit = (lib, trail) => {
    if (state[lib] === 'open') throw new Error(`eslint.config.js: libDependencies has a cycle: ${[...trail, lib].join(' → ')}`);
    if (state[lib] === 'done') return;
    state[lib] = 'open';
    for (const dependency of libDependencies[lib] ?? []) visit(dependency, [...trail, lib]);
    state[lib] = 'done';
  };
  for (const lib of libs) visit(lib, []);
  return libs.map((lib) => {
    const allowed = libDependencies[lib];
    return {
      files: [`libs/${lib}/**/*.{ts,tsx}`],
      ignores: ['**/*.spec.ts', '**/*.fixture.ts', '**/*.specification.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                regex: allowed.length === 0 ? '^@taskinbox/' : `^@taskinbox/(?!(${allowed.join('|')})$)`,
                message: `libs/${lib} may import only ${allowed.length === 0 ? 'no other lib' : allowed.map((name) => `@taskinbox/${name}`).join(', ')} (eslint.config.js, libDependencies).`,
              },
            ],
          },
        ],
      },
    };
  });
}

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'apps/web/dist/**', '.nx/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  ...layeringRules(),
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
        { patterns: [{ regex: '^(?!\\./|@taskinbox/zoned-time$)', message: 'On-call time is pure: no framework, database, network or Node imports.' }] },
      ],
    },
  },
  {
    // The ETA and the status words are pure: sibling files only (the clock comes in as input).
    files: ['libs/transparency/src/pure/**/*.ts'],
    ignores: ['libs/transparency/src/pure/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./|@taskinbox/zoned-time$)', message: 'Transparency\'s pure code takes no framework, database, network or Node imports.' }] },
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
    files: ['tools/**/*.js', '*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
