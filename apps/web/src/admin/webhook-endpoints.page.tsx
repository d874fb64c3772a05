import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { answer, api } from '../api/api.client';
import { Empty, ErrorState, Loading } from '../layout/load.states';
import { useNotify } from '../layout/notices.context';
import type { EndpointInput, WebhookEndpoint } from './admin.types';
import { OneTimeSecret } from './one-time-secret.panel';
import { EndpointForm } from './webhook-endpoint.form';
import { eventFilterText, healthLabels, healthText, taskTypeFilterText } from './webhook.format';
import { useEndpoints, webhookKeys } from './webhook.queries';

/** The endpoints of the organisation, and adding one (its secret is shown here once). */
export function WebhookEndpointsPage() {
  const endpoints = useEndpoints();
  const queries = useQueryClient();
  const notify = useNotify();
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  // gcTime 0: the answer carries the secret; the cache forgets it as soon as nothing shows it.
  const create = useMutation({
    mutationFn: (input: EndpointInput) => answer(api.POST('/api/webhooks/endpoints', { body: input })),
    gcTime: 0,
    onSuccess: ({ url, secret }) => {
      setCreated({ url, secret });
      setAdding(false);
      notify('Endpoint added.', 'success');
      return queries.invalidateQueries({ queryKey: webhookKeys.all });
    },
  });

  function dismissSecret() {
    setCreated(null);
    create.reset();
  }

  return (
    <section className="stack" aria-labelledby="webhooks-title">
      <div className="row">
        <h2 id="webhooks-title">Webhook endpoints</h2>
        <span className="spacer" />
        {!adding && (
          <button type="button" className="button primary" onClick={() => setAdding(true)}>
            Add endpoint
          </button>
        )}
      </div>
      {created && (
        <OneTimeSecret
          title="Signing secret of the new endpoint"
          label={`Signing secret for ${created.url}`}
          value={created.secret}
          onDismiss={dismissSecret}
        >
          <p className="muted">
            Your receiver uses it to check the webhook-signature header of every message (Standard Webhooks).
          </p>
        </OneTimeSecret>
      )}
      {adding && (
        <EndpointForm
          submitLabel="Add endpoint"
          busy={create.isPending}
          error={create.error}
          onSubmit={(input) => create.mutate(input)}
          onCancel={() => {
            setAdding(false);
            create.reset();
          }}
        />
      )}
      {endpoints.isPending ? (
        <Loading what="webhook endpoints" />
      ) : endpoints.isError ? (
        <ErrorState error={endpoints.error} retry={() => endpoints.refetch()} />
      ) : endpoints.data.length === 0 ? (
        <Empty>No endpoints yet. Add one to have task events POSTed to your system.</Empty>
      ) : (
        <ul className="admin-list">
          {endpoints.data.map((endpoint) => (
            <li key={endpoint.id} className="card">
              <h3 className="break">{endpoint.description || endpoint.url}</h3>
              <EndpointFacts endpoint={endpoint} />
              <Link to={`/admin/webhooks/${endpoint.id}`} className="button small">
                Delivery log and settings
                <span className="visually-hidden"> of {endpoint.description || endpoint.url}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function HealthBadge({ endpoint }: { endpoint: WebhookEndpoint }) {
  return <span className={`badge health-${endpoint.health.state}`}>{healthLabels[endpoint.health.state]}</span>;
}

/**
 * What an admin checks at a glance: where, what, and whether it works. The heading above is
 * the description, or the URL when there is none (so it is not said twice).
 */
export function EndpointFacts({ endpoint, children }: { endpoint: WebhookEndpoint; children?: ReactNode }) {
  return (
    <dl className="facts">
      {endpoint.description && (
        <>
          <dt>URL</dt>
          <dd className="break">{endpoint.url}</dd>
        </>
      )}
      <dt>State</dt>
      <dd>
        <HealthBadge endpoint={endpoint} /> {healthText(endpoint)}
      </dd>
      <dt>Events</dt>
      <dd className="break">{eventFilterText(endpoint)}</dd>
      <dt>Task types</dt>
      <dd className="break">{taskTypeFilterText(endpoint)}</dd>
      {children}
    </dl>
  );
}
