import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { answer, api, describeError } from '../api/api.client';
import { useNotify } from '../layout/notices.context';
import { Empty, ErrorState, Loading } from '../layout/load.states';
import { formatAgo, formatDateTime } from '../tasks/task.format';
import { type ApiKey, type Scope, scopeLabels } from './admin.types';
import { ConfirmButton } from './confirm.button';
import { OneTimeSecret } from './one-time-secret.panel';

const apiKeysKey = ['admin', 'api-keys'] as const;
const scopes = Object.keys(scopeLabels) as Scope[];

/** Keys for services calling the API: issue one (shown once), see when each was used, revoke. */
export function ApiKeysPage() {
  const keys = useQuery({ queryKey: apiKeysKey, queryFn: () => answer(api.GET('/api/api-keys')) });
  const queries = useQueryClient();
  const [issued, setIssued] = useState<{ name: string; key: string } | null>(null);
  const create = useMutation({
    mutationFn: (body: { name: string; scopes: Scope[] }) => answer(api.POST('/api/api-keys', { body })),
    // The answer carries the key: kept in state only, forgotten by the cache at once.
    gcTime: 0,
    onSuccess: ({ name, key }) => {
      setIssued({ name, key });
      return queries.invalidateQueries({ queryKey: apiKeysKey });
    },
  });

  return (
    <section className="stack" aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">API keys</h2>
      <p className="muted">
        Services send a key as <code>Authorization: Bearer tib_…</code>. Scopes limit what a key may do; revoking stops
        it within seconds.
      </p>
      {issued && (
        <OneTimeSecret
          title={`New API key “${issued.name}”`}
          label={`API key ${issued.name}`}
          value={issued.key}
          onDismiss={() => {
            setIssued(null);
            create.reset();
          }}
        />
      )}
      <CreateKeyForm busy={create.isPending} error={create.error} onSubmit={(body) => create.mutate(body)} />
      {keys.isPending ? (
        <Loading what="API keys" />
      ) : keys.isError ? (
        <ErrorState error={keys.error} retry={() => keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <Empty>No API keys yet.</Empty>
      ) : (
        <ul className="admin-list" aria-label="Keys">
          {keys.data.map((key) => (
            <KeyItem key={key.id} apiKey={key} />
          ))}
        </ul>
      )}
    </section>
  );
}

function CreateKeyForm({
  busy,
  error,
  onSubmit,
}: {
  busy: boolean;
  error: unknown;
  onSubmit: (body: { name: string; scopes: Scope[] }) => void;
}) {
  const [name, setName] = useState('');
  const [picked, setPicked] = useState<Scope[]>(['tasks:read']);

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit({ name: name.trim(), scopes: picked });
  }

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="new-key-title">
      <h3 id="new-key-title">New key</h3>
      <label>
        Name
        <input
          required
          maxLength={100}
          placeholder="billing-service"
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
      </label>
      <fieldset>
        <legend>Scopes</legend>
        {scopes.map((scope) => (
          <label key={scope} className="check">
            <input
              type="checkbox"
              checked={picked.includes(scope)}
              onChange={(event) =>
                setPicked((all) => (event.target.checked ? [...all, scope] : all.filter((item) => item !== scope)))
              }
            />
            <span>
              <code>{scope}</code> <span className="muted">{scopeLabels[scope]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <p className="muted hint">Keys do not expire: revoke one when it is no longer needed.</p>
      {error !== null && (
        <p role="alert" className="error">
          {describeError(error)}
        </p>
      )}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create key'}
      </button>
    </form>
  );
}

function KeyItem({ apiKey }: { apiKey: ApiKey }) {
  const queries = useQueryClient();
  const notify = useNotify();
  const revoke = useMutation({
    mutationFn: () => answer(api.DELETE('/api/api-keys/{id}', { params: { path: { id: apiKey.id } } })),
    onSuccess: () => {
      notify(`Key “${apiKey.name}” revoked.`, 'success');
      return queries.invalidateQueries({ queryKey: apiKeysKey });
    },
    onError: (error) => notify(describeError(error), 'error'),
  });

  return (
    <li className={`card${apiKey.revokedAt ? ' revoked' : ''}`}>
      <div className="row">
        <h3 className="break">{apiKey.name}</h3>
        {apiKey.revokedAt && <span className="badge">Revoked</span>}
      </div>
      <dl className="facts">
        <dt>Starts with</dt>
        <dd className="break">
          <code>{apiKey.prefix}_…</code>
        </dd>
        <dt>Scopes</dt>
        <dd className="break">{apiKey.scopes.join(', ')}</dd>
        <dt>Created</dt>
        <dd>{formatDateTime(apiKey.createdAt)}</dd>
        <dt>Last used</dt>
        <dd>
          {apiKey.lastUsedAt ? `${formatDateTime(apiKey.lastUsedAt)} (${formatAgo(apiKey.lastUsedAt)})` : 'Never'}
        </dd>
        {apiKey.revokedAt && (
          <>
            <dt>Revoked</dt>
            <dd>{formatDateTime(apiKey.revokedAt)}</dd>
          </>
        )}
      </dl>
      {!apiKey.revokedAt && (
        <ConfirmButton
          label="Revoke"
          question={`Revoke “${apiKey.name}”? Services using it are refused from now on. This cannot be undone.`}
          confirmLabel="Revoke key"
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate()}
        />
      )}
    </li>
  );
}
