import { type FormEvent, useId, useState } from 'react';
import { describeError } from '../api/api.client';
import { webhookEventTypes } from '../api/api.types';
import { type EndpointInput, everyEvent, type WebhookEndpoint } from './admin.types';

/** "Name: value" per line; answers the headers or which line is wrong. */
function parseHeaders(text: string): Record<string, string> | string {
  const headers: Record<string, string> = {};
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return `Extra headers, line ${index + 1}: write it as "Name: value".`;
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

const splitList = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * Create (no `initial`) or edit an endpoint. Header values are never shown again, so editing
 * keeps them unless the admin chooses to replace them.
 */
export function EndpointForm({
  initial,
  submitLabel,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  initial?: WebhookEndpoint;
  submitLabel: string;
  busy: boolean;
  error: unknown;
  onSubmit: (input: EndpointInput) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [url, setUrl] = useState(initial?.url ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [events, setEvents] = useState<string[]>(
    initial && !initial.eventTypes.includes(everyEvent) ? initial.eventTypes : [],
  );
  const [taskTypes, setTaskTypes] = useState(initial?.taskTypes.join(', ') ?? '');
  const [enabled, setEnabled] = useState(true);
  const [ordered, setOrdered] = useState(initial?.ordered ?? true);
  const [replaceHeaders, setReplaceHeaders] = useState(!initial);
  const [headersText, setHeadersText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const headers = replaceHeaders ? parseHeaders(headersText) : undefined;
    if (typeof headers === 'string') {
      setProblem(headers);
      return;
    }
    setProblem(null);
    onSubmit({
      url: url.trim(),
      description: description.trim(),
      // Ticked from webhookEventTypes, the server's own list.
      eventTypes: events as EndpointInput['eventTypes'],
      taskTypes: splitList(taskTypes),
      ordered,
      ...(initial ? {} : { enabled }),
      // Creating: only when some were given. Editing: {} removes them all.
      ...(headers && (initial || Object.keys(headers).length > 0) ? { headers } : {}),
    });
  }

  const toggle = (type: string, on: boolean) =>
    setEvents((all) => (on ? [...all, type] : all.filter((item) => item !== type)));

  return (
    <form className="card stack endpoint-form" onSubmit={submit} aria-label={submitLabel}>
      <label>
        URL
        <input
          type="url"
          required
          autoFocus
          inputMode="url"
          placeholder="https://example.com/hooks/taskinbox"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          aria-describedby={`${id}-url-hint`}
        />
      </label>
      <p id={`${id}-url-hint`} className="muted hint">
        Messages are POSTed here, signed with the endpoint's secret. Private and loopback addresses are refused.
      </p>
      <label>
        Description
        <input maxLength={500} value={description} onChange={(event) => setDescription(event.target.value)} />
      </label>
      <fieldset aria-describedby={`${id}-events-hint`}>
        <legend>Events to send</legend>
        <p id={`${id}-events-hint`} className="muted hint">
          None ticked: every event, including kinds added later.
        </p>
        <div className="check-grid">
          {webhookEventTypes.map((type) => (
            <label key={type} className="check">
              <input
                type="checkbox"
                checked={events.includes(type)}
                onChange={(event) => toggle(type, event.target.checked)}
              />
              <code>{type}</code>
            </label>
          ))}
        </div>
      </fieldset>
      <label>
        Task types
        <input
          value={taskTypes}
          placeholder="refund.approval, invoice.review"
          onChange={(event) => setTaskTypes(event.target.value)}
          aria-describedby={`${id}-types-hint`}
        />
      </label>
      <p id={`${id}-types-hint`} className="muted hint">
        Comma-separated. Empty: every task type.
      </p>
      <label className="check">
        <input type="checkbox" checked={ordered} onChange={(event) => setOrdered(event.target.checked)} />
        Keep each task's events in order (a failing event holds back the task's later ones)
      </label>
      {!initial && (
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
          Enabled: start sending right away
        </label>
      )}
      {initial && (
        <label className="check">
          <input
            type="checkbox"
            checked={replaceHeaders}
            onChange={(event) => setReplaceHeaders(event.target.checked)}
          />
          Replace the extra headers
          {initial.headerNames.length > 0 ? ` (now: ${initial.headerNames.join(', ')})` : ' (none now)'}
        </label>
      )}
      {replaceHeaders && (
        <>
          <label>
            Extra headers
            <textarea
              value={headersText}
              spellCheck={false}
              placeholder="Authorization: Bearer …"
              onChange={(event) => setHeadersText(event.target.value)}
              aria-describedby={`${id}-headers-hint`}
            />
          </label>
          <p id={`${id}-headers-hint`} className="muted hint">
            One "Name: value" per line, sent with every request. Values are stored encrypted and never shown again.
            {initial ? ' Empty: remove them all.' : ''}
          </p>
        </>
      )}
      {(problem || error !== null) && (
        <p role="alert" className="error">
          {problem ?? describeError(error)}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
