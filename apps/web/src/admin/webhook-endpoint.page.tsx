import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { answer, api, describeError } from '../api/api.client';
import { useNotify } from '../layout/notices.context';
import { Empty, ErrorState, Loading } from '../layout/load.states';
import { formatDateTime } from '../tasks/task.format';
import type { EndpointInput, EndpointNotice, WebhookEndpoint } from './admin.types';
import { ConfirmButton } from './confirm.button';
import { OneTimeSecret } from './one-time-secret.panel';
import { WebhookDeliveries } from './webhook-deliveries.section';
import { EndpointForm } from './webhook-endpoint.form';
import { EndpointFacts } from './webhook-endpoints.page';
import { onEndpoint, useEndpoint, webhookKeys } from './webhook.queries';

/** One endpoint: its settings and actions, health changes, replay and delivery log. */
export function WebhookEndpointPage() {
  const { endpointId = '' } = useParams();
  const endpoint = useEndpoint(endpointId);

  return (
    <section className="stack" aria-labelledby="endpoint-title">
      <Link to="/admin/webhooks" className="link back">
        ← All endpoints
      </Link>
      {endpoint.isPending ? (
        <Loading what="the endpoint" />
      ) : endpoint.isError ? (
        <ErrorState error={endpoint.error} retry={() => endpoint.refetch()} />
      ) : (
        <>
          <h2 id="endpoint-title" className="break">
            {endpoint.data.description || endpoint.data.url}
          </h2>
          <EndpointSettings endpoint={endpoint.data} />
          <EndpointNotices endpointId={endpointId} />
          <RecoverForm endpointId={endpointId} />
          <WebhookDeliveries endpointId={endpointId} />
        </>
      )}
    </section>
  );
}

function EndpointSettings({ endpoint }: { endpoint: WebhookEndpoint }) {
  const queries = useQueryClient();
  const notify = useNotify();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [rotated, setRotated] = useState<{ secret: string; previousExpiresAt: string } | null>(null);
  const refresh = () => queries.invalidateQueries({ queryKey: webhookKeys.all });
  const failed = (error: unknown) => notify(describeError(error), 'error');

  const update = useMutation({
    mutationFn: (input: Partial<EndpointInput>) =>
      answer(api.PATCH('/api/webhooks/endpoints/{id}', { ...onEndpoint(endpoint.id), body: input })),
    onSuccess: refresh,
  });
  const rotate = useMutation({
    mutationFn: () => answer(api.POST('/api/webhooks/endpoints/{id}/rotate-secret', onEndpoint(endpoint.id))),
    // The answer carries the secret: kept in state only, forgotten by the cache at once.
    gcTime: 0,
    onSuccess: setRotated,
    onError: failed,
  });
  const remove = useMutation({
    mutationFn: () => answer(api.DELETE('/api/webhooks/endpoints/{id}', onEndpoint(endpoint.id))),
    onSuccess: async () => {
      notify('Endpoint deleted.', 'success');
      await navigate('/admin/webhooks');
      return queries.invalidateQueries({ queryKey: webhookKeys.all });
    },
    onError: failed,
  });

  const setEnabled = (enabled: boolean) =>
    update.mutate(
      { enabled },
      {
        onSuccess: () =>
          notify(enabled ? 'Endpoint enabled; new events are sent again.' : 'Endpoint disabled.', 'success'),
        onError: failed,
      },
    );

  return (
    <div className="stack">
      <div className="card">
        <EndpointFacts endpoint={endpoint}>
          <dt>Order</dt>
          <dd>{endpoint.ordered ? "Each task's events in order" : 'As they come (no waiting)'}</dd>
          <dt>Extra headers</dt>
          <dd className="break">
            {endpoint.headerNames.length > 0 ? `${endpoint.headerNames.join(', ')} (values hidden)` : 'None'}
          </dd>
          <dt>Created</dt>
          <dd>{formatDateTime(endpoint.createdAt)}</dd>
        </EndpointFacts>
        <div className="row actions">
          <button
            type="button"
            className="button small"
            disabled={update.isPending}
            onClick={() => setEnabled(!endpoint.enabled)}
          >
            {endpoint.enabled ? 'Disable' : 'Enable'}
          </button>
          <button type="button" className="button small" aria-expanded={editing} onClick={() => setEditing(!editing)}>
            Edit
          </button>
          <ConfirmButton
            label="Rotate secret"
            danger={false}
            question="Make a new signing secret? The old one keeps signing for 24 hours so your receiver can switch."
            confirmLabel="Make a new secret"
            busy={rotate.isPending}
            onConfirm={() => rotate.mutate()}
          />
          <ConfirmButton
            label="Delete"
            question="Delete this endpoint with its delivery log? Nothing more is sent to it. This cannot be undone."
            confirmLabel="Delete endpoint"
            busy={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        </div>
      </div>
      {rotated && (
        <OneTimeSecret
          title="New signing secret"
          label={`New signing secret for ${endpoint.url}`}
          value={rotated.secret}
          onDismiss={() => {
            setRotated(null);
            rotate.reset();
          }}
        >
          <p className="muted">The previous secret keeps signing until {formatDateTime(rotated.previousExpiresAt)}.</p>
        </OneTimeSecret>
      )}
      {editing && (
        <EndpointForm
          initial={endpoint}
          submitLabel="Save changes"
          busy={update.isPending}
          error={update.error}
          onSubmit={(input) =>
            update.mutate(input, {
              onSuccess: () => {
                setEditing(false);
                notify('Endpoint saved.', 'success');
              },
            })
          }
          onCancel={() => {
            setEditing(false);
            update.reset();
          }}
        />
      )}
    </div>
  );
}

function EndpointNotices({ endpointId }: { endpointId: string }) {
  const notices = useQuery({
    queryKey: webhookKeys.notices(endpointId),
    queryFn: () =>
      answer(
        api.GET('/api/webhooks/endpoints/{id}/notices', { params: { path: { id: endpointId }, query: { limit: 20 } } }),
      ),
  });
  return (
    <section className="stack" aria-labelledby="notices-title">
      <h3 id="notices-title">Health changes</h3>
      {notices.isPending ? (
        <Loading what="health changes" />
      ) : notices.isError ? (
        <ErrorState error={notices.error} retry={() => notices.refetch()} />
      ) : notices.data.length === 0 ? (
        <Empty>No health changes yet.</Empty>
      ) : (
        <ul className="admin-list compact">
          {notices.data.map((notice) => (
            <li key={notice.id} className="card">
              <span className={`badge notice-${notice.kind}`}>{noticeLabels[notice.kind]}</span>{' '}
              {formatDateTime(notice.createdAt)}
              {notice.reason && <span className="break">: {notice.reason}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const noticeLabels: Record<EndpointNotice['kind'], string> = {
  failing: 'Started failing',
  disabled: 'Disabled',
  recovered: 'Recovered',
};

/** A datetime-local value (local time, minutes) for a moment. */
function localInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** POST …/recover: every failed or unfinished message of a period goes again, oldest first. */
function RecoverForm({ endpointId }: { endpointId: string }) {
  const queries = useQueryClient();
  const notify = useNotify();
  const [since, setSince] = useState(() => localInput(new Date(Date.now() - 24 * 3600_000)));
  const [until, setUntil] = useState('');
  const recover = useMutation({
    mutationFn: (body: { since: string; until?: string }) =>
      answer(api.POST('/api/webhooks/endpoints/{id}/recover', { ...onEndpoint(endpointId), body })),
    onSuccess: ({ queued }) => {
      notify(
        queued === 0
          ? 'Nothing to send again in that period.'
          : `${queued} message${queued === 1 ? '' : 's'} queued to send again.`,
        'success',
      );
      return queries.invalidateQueries({ queryKey: webhookKeys.all });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    recover.mutate({
      since: new Date(since).toISOString(),
      ...(until ? { until: new Date(until).toISOString() } : {}),
    });
  }

  return (
    <section aria-labelledby="recover-title">
      <form className="card stack" onSubmit={submit}>
        <h3 id="recover-title">Send a period again</h3>
        <p className="muted">
          Every message created in this period that failed or is still waiting is sent again, oldest first, with a fresh
          retry schedule. Delivered messages are left alone: use Resend on one for that.
        </p>
        <div className="field-pair">
          <label>
            From
            <input type="datetime-local" required value={since} onChange={(event) => setSince(event.target.value)} />
          </label>
          <label>
            Until (optional)
            <input type="datetime-local" value={until} onChange={(event) => setUntil(event.target.value)} />
          </label>
        </div>
        {recover.isError && (
          <p role="alert" className="error">
            {describeError(recover.error)}
          </p>
        )}
        <button type="submit" className="button" disabled={recover.isPending}>
          {recover.isPending ? 'Queuing…' : 'Send failed messages again'}
        </button>
      </form>
    </section>
  );
}
