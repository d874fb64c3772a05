import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { helmBinary } from './helm.binary';

const chart = path.join(__dirname, '..', '..', 'deploy', 'helm', 'taskinbox');
const secrets = [
  'secrets.DATABASE_URL=postgres://taskinbox@db/taskinbox',
  'secrets.JWT_SECRET=s',
  'secrets.WEBHOOK_SECRET_KEY=k',
];

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

const helm = (...args: string[]): string =>
  execFileSync(helmBinary(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const render = (...set: string[]): K8sObject[] =>
  parseAllDocuments(helm('template', 'ti', chart, ...set.flatMap((s) => ['--set', s])))
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);

/** Validates one object against the Kubernetes schema of its apiVersion and kind (throws when invalid). */
function validate(object: K8sObject): void {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : [undefined, object.apiVersion];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is named by the object's kind
  const models = require(`kubernetes-models/${group ? `${group}/` : ''}${version}/${object.kind}`) as Record<
    string,
    new (o: unknown) => { validate(): void }
  >;
  new models[object.kind](object).validate();
}

const named = (objects: K8sObject[], kind: string) =>
  objects
    .filter((o) => o.kind === kind)
    .map((o) => o.metadata.name)
    .sort();

it('passes helm lint', () => {
  expect(helm('lint', chart, '--strict', ...secrets.flatMap((s) => ['--set', s]))).toMatch(/0 chart\(s\) failed/);
});

it('renders valid Kubernetes objects: every service, HPAs for ingest, query and webhooks, PDBs, the migrate hook', () => {
  const objects = render(...secrets);
  for (const object of objects) expect(() => validate(object)).not.toThrow();
  expect(named(objects, 'Deployment')).toEqual(['ti-ingest', 'ti-projector', 'ti-query', 'ti-relay', 'ti-webhooks']);
  expect(named(objects, 'HorizontalPodAutoscaler')).toEqual(['ti-ingest', 'ti-query', 'ti-webhooks']);
  expect(named(objects, 'PodDisruptionBudget')).toHaveLength(5);
  const migrate = objects.find((o) => o.kind === 'Job')!;
  expect(migrate.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
  const ingest = JSON.stringify(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'ti-ingest'));
  expect(ingest).toContain('/health/ready');
  expect(ingest).toContain('taskinbox-nats-creds');
});

it('takes an existing secret instead of values, and switches the event store to EventStoreDB', () => {
  const objects = render('existingSecret=prod-taskinbox', 'eventStore.kind=eventstoredb');
  expect(named(objects, 'Secret')).toEqual([]);
  expect(objects.find((o) => o.kind === 'ConfigMap')?.data?.EVENT_STORE).toBe('eventstoredb');
  expect(JSON.stringify(objects)).toContain('prod-taskinbox');
  for (const object of objects) expect(() => validate(object)).not.toThrow();
});

it('refuses to render without the secrets it would have to make', () => {
  expect(() => render()).toThrow(/secrets.DATABASE_URL/);
  expect(() => render(...secrets, 'eventStore.kind=eventstoredb')).toThrow(/eventstoreUrl/);
});
