import { useId, useState } from 'react';
import type { LayoutField } from '../task-types/task-layout.values';
import { TaskLayout } from '../task-types/task-layout.view';
import { httpUrl } from './task.format';

/**
 * The sender's payload as readable fields (through the type's display layout when it has one),
 * or as the exact JSON on demand.
 */
export function TaskPayload({
  payload,
  title = 'Payload',
  layout,
}: {
  payload: Record<string, unknown>;
  title?: string;
  layout?: LayoutField[];
}) {
  const [raw, setRaw] = useState(false);
  const headingId = useId();
  const empty = Object.keys(payload).length === 0;
  return (
    <section className="card task-section" aria-labelledby={headingId}>
      <div className="task-section-head">
        <h2 id={headingId}>{title}</h2>
        {!empty && (
          <button type="button" className="button small" aria-pressed={raw} onClick={() => setRaw(!raw)}>
            Raw JSON
          </button>
        )}
      </div>
      {empty ? (
        <p className="muted">No payload.</p>
      ) : raw ? (
        <pre className="payload-raw">{JSON.stringify(payload, null, 2)}</pre>
      ) : layout && layout.length > 0 ? (
        <TaskLayout layout={layout} payload={payload} />
      ) : (
        <PayloadObject value={payload} />
      )}
    </section>
  );
}

/** One JSON value: objects as definition lists, arrays as lists, URLs as links. */
export function PayloadValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">none</span>;
  if (typeof value === 'boolean') return <>{value ? 'Yes' : 'No'}</>;
  if (typeof value === 'string') return <PayloadText text={value} />;
  if (Array.isArray(value)) return <PayloadList items={value} />;
  if (typeof value === 'object') return <PayloadObject value={value as Record<string, unknown>} />;
  return <>{String(value)}</>;
}

function PayloadObject({ value }: { value: Record<string, unknown> }) {
  // Plain values first, groups after: the stored order is not the sender's anyway (jsonb sorts keys).
  const entries = Object.entries(value).sort(([, a], [, b]) => Number(isBranch(a)) - Number(isBranch(b)));
  if (entries.length === 0) return <span className="muted">empty</span>;
  return (
    <dl className="payload-fields">
      {entries.map(([key, item]) => (
        <div key={key} className={isBranch(item) ? 'payload-field branch' : 'payload-field'}>
          <dt title={key}>{labelOf(key)}</dt>
          <dd>
            <PayloadValue value={item} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function PayloadList({ items }: { items: unknown[] }) {
  if (items.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="payload-list">
      {items.map((item, index) => (
        <li key={index}>
          <PayloadValue value={item} />
        </li>
      ))}
    </ul>
  );
}

function PayloadText({ text }: { text: string }) {
  if (text === '') return <span className="muted">empty</span>;
  const href = httpUrl(text);
  if (href)
    return (
      <a href={href} target="_blank" rel="noopener noreferrer" className="payload-text">
        {text}
      </a>
    );
  return <span className="payload-text">{text}</span>;
}

const isBranch = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && Object.keys(value).length > 0;

/** "orderId" → "Order id", "shipping_address" → "Shipping address", "customerID" → "Customer ID". */
export function labelOf(key: string): string {
  const words = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .trim()
    .split(/\s+/)
    .map((word, index) => (index > 0 && /^[A-Z][a-z]/.test(word) ? word.toLowerCase() : word));
  const text = words.join(' ');
  return text ? text[0].toUpperCase() + text.slice(1) : key;
}
