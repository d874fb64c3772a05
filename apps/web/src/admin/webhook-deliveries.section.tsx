import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { answer, api, describeError } from '../api/api.client';
import { useNotify } from '../layout/notices.context';
import { Empty, ErrorState, Loading } from '../layout/load.states';
import { formatAgo, formatDateTime } from '../tasks/task.format';
import { type DeliveryStatus, deliveryStatuses, type WebhookDelivery } from './admin.types';
import { deliveryStatusLabels, describeFailure } from './webhook.format';
import { webhookKeys } from './webhook.queries';

const pageSize = 50;
// The API answers the newest `limit` deliveries (at most 500) and has no cursor.
const maxLimit = 500;
// Deliveries move on their own (attempts, retries); the log follows without a reload.
const pollMs = 5_000;

/** The delivery log of one endpoint: one message per event, newest first. */
export function WebhookDeliveries({ endpointId }: { endpointId: string }) {
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const [limit, setLimit] = useState(pageSize);
  const deliveries = useQuery({
    queryKey: webhookKeys.deliveries(endpointId, status, limit),
    queryFn: () =>
      answer(
        api.GET('/api/webhooks/endpoints/{id}/deliveries', {
          params: { path: { id: endpointId }, query: { status: status || undefined, limit } },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: pollMs,
  });

  return (
    <section className="stack" aria-labelledby="deliveries-title">
      <div className="row">
        <h3 id="deliveries-title">Delivery log</h3>
        <span className="spacer" />
        <label className="inline-field">
          Show
          <select
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as DeliveryStatus | '');
              setLimit(pageSize);
            }}
          >
            <option value="">All messages</option>
            {deliveryStatuses.map((option) => (
              <option key={option} value={option}>
                {deliveryStatusLabels[option]}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button small"
          disabled={deliveries.isFetching}
          onClick={() => deliveries.refetch()}
        >
          {deliveries.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {deliveries.isPending ? (
        <Loading what="the delivery log" />
      ) : deliveries.isError && !deliveries.data ? (
        <ErrorState error={deliveries.error} retry={() => deliveries.refetch()} />
      ) : deliveries.data.length === 0 ? (
        <Empty>
          {status ? 'No messages with this status.' : 'Nothing sent yet: messages appear here as tasks change.'}
        </Empty>
      ) : (
        <>
          {deliveries.isError && <ErrorState error={deliveries.error} retry={() => deliveries.refetch()} />}
          <ul className="admin-list" aria-label="Messages">
            {deliveries.data.map((delivery) => (
              <DeliveryItem key={delivery.id} endpointId={endpointId} delivery={delivery} />
            ))}
          </ul>
          {deliveries.data.length >= limit && limit < maxLimit && (
            <button
              type="button"
              className="button"
              onClick={() => setLimit((current) => Math.min(current + pageSize, maxLimit))}
            >
              Show older messages
            </button>
          )}
        </>
      )}
    </section>
  );
}

function DeliveryItem({ endpointId, delivery }: { endpointId: string; delivery: WebhookDelivery }) {
  const queries = useQueryClient();
  const notify = useNotify();
  const panelId = useId();
  const [showAttempts, setShowAttempts] = useState(false);
  const resend = useMutation({
    mutationFn: () =>
      answer(
        api.POST('/api/webhooks/endpoints/{id}/deliveries/{deliveryId}/resend', {
          params: { path: { id: endpointId, deliveryId: delivery.id } },
        }),
      ),
    onSuccess: () => {
      notify(`${delivery.eventType} is being sent again with the same webhook-id.`, 'success');
      return queries.invalidateQueries({ queryKey: webhookKeys.all });
    },
    onError: (error) => notify(describeError(error), 'error'),
  });

  return (
    <li className="card delivery">
      <div className="row">
        <code className="break">{delivery.eventType}</code>
        <span className={`badge delivery-${delivery.status}`}>{deliveryStatusLabels[delivery.status]}</span>
      </div>
      <dl className="facts">
        <dt>Task</dt>
        <dd className="break">
          <Link to={`/tasks/${delivery.taskId}`}>{delivery.taskId}</Link>{' '}
          <span className="muted">(sequence {delivery.sequence})</span>
        </dd>
        <dt>Attempts</dt>
        <dd>{delivery.attempts}</dd>
        {delivery.lastError && (
          <>
            <dt>Last error</dt>
            <dd className="break">
              {describeFailure(delivery.lastError)} <span className="muted">({delivery.lastError})</span>
            </dd>
          </>
        )}
        {delivery.nextAttemptAt && (
          <>
            <dt>Next try</dt>
            <dd>
              {formatDateTime(delivery.nextAttemptAt)}{' '}
              <span className="muted">({formatAgo(delivery.nextAttemptAt)})</span>
            </dd>
          </>
        )}
        <dt>Created</dt>
        <dd>{formatDateTime(delivery.createdAt)}</dd>
        {delivery.deliveredAt && (
          <>
            <dt>Delivered</dt>
            <dd>{formatDateTime(delivery.deliveredAt)}</dd>
          </>
        )}
      </dl>
      <div className="row actions">
        <button
          type="button"
          className="button small"
          aria-expanded={showAttempts}
          aria-controls={panelId}
          onClick={() => setShowAttempts(!showAttempts)}
        >
          {showAttempts ? 'Hide attempts' : 'Show attempts'}
        </button>
        <button type="button" className="button small" disabled={resend.isPending} onClick={() => resend.mutate()}>
          {resend.isPending ? 'Resending…' : 'Resend'}
        </button>
      </div>
      <div id={panelId}>{showAttempts && <AttemptList endpointId={endpointId} deliveryId={delivery.id} />}</div>
    </li>
  );
}

/** Every attempt of one delivery (admins only: a response may echo the endpoint's headers). */
function AttemptList({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) {
  const attempts = useQuery({
    queryKey: webhookKeys.attempts(endpointId, deliveryId),
    queryFn: () =>
      answer(
        api.GET('/api/webhooks/endpoints/{id}/attempts', {
          params: { path: { id: endpointId }, query: { deliveryId } },
        }),
      ),
    refetchInterval: pollMs,
  });
  if (attempts.isPending) return <Loading what="attempts" />;
  if (attempts.isError) return <ErrorState error={attempts.error} retry={() => attempts.refetch()} />;
  if (attempts.data.length === 0) return <Empty>Not attempted yet.</Empty>;
  return (
    <ol className="attempts" aria-label="Attempts, newest first">
      {attempts.data.map((attempt) => (
        <li key={attempt.id} className="attempt">
          <div className="row">
            <span className={`badge ${attempt.succeeded ? 'delivery-delivered' : 'delivery-failed'}`}>
              {attempt.succeeded ? 'Succeeded' : 'Failed'}
            </span>
            <span>
              {attempt.statusCode !== null
                ? `HTTP ${attempt.statusCode}`
                : describeFailure(attempt.errorClass ?? 'network')}{' '}
              in {attempt.latencyMs} ms
            </span>
            <span className="muted">{formatDateTime(attempt.attemptedAt)}</span>
          </div>
          {attempt.responseBody && (
            <details>
              <summary>Response body</summary>
              <pre>{attempt.responseBody}</pre>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
