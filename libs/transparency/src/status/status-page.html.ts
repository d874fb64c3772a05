import { createHash } from 'node:crypto';
import { duration } from '../pure/eta';
import type { TaskStatusView } from './task-status.view';

// The public status page: server-rendered HTML, one inline style allowed by its hash, no script,
// nothing loaded from anywhere (not even this origin), never indexed, no Referer leaving it.
// Every text comes from data and is escaped; no markup is ever taken from a payload.

const style = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c2430;background:#f4f6f9}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;margin:.5rem 0 1rem}
h2{font-size:1rem;margin:0 0 .5rem;color:#4a5568}
section{background:#fff;border-radius:.75rem;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.status{display:inline-block;font-weight:600;font-size:1.1rem;padding:.25rem .75rem;border-radius:999px;background:#e6eefc;color:#1a4fa0}
.status.done{background:#e3f5e8;color:#1d6b36}.status.cancelled{background:#eee;color:#555}.status.waiting_for_you{background:#fff3d6;color:#7a5300}
.range{font-size:1.2rem;font-weight:600;margin:.25rem 0 .5rem}
ul,ol{margin:0;padding-left:1.2rem}
dl{margin:0;display:grid;grid-template-columns:minmax(6rem,auto) 1fr;gap:.25rem 1rem}
dt{color:#4a5568}dd{margin:0;overflow-wrap:anywhere}
time{color:#4a5568;font-size:.9rem;display:block}
footer{color:#4a5568;font-size:.85rem;padding:0 .25rem}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
.check label{display:inline;font-weight:400}
input[type=text],input[type=number],select{width:100%;font:inherit;padding:.6rem;border:1px solid #a0aec0;border-radius:.5rem;background:#fff}
input[type=checkbox]{width:1.25rem;height:1.25rem;vertical-align:middle}
small{display:block;color:#4a5568}
button,.button{display:inline-block;font:inherit;font-weight:600;color:#fff;background:#1a4fa0;border:0;border-radius:.5rem;padding:.7rem 1.4rem;margin-top:.75rem;text-decoration:none;min-height:44px}
.problems{background:#fdecea;color:#8a1c12;border-radius:.5rem;padding:.5rem .75rem}
`;

const styleHash = createHash('sha256').update(style).digest('base64');

export const statusPageHeaders: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${styleHash}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  'x-robots-tag': 'noindex, nofollow, noarchive',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

const utc = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const moment = (iso: string): string => `<time datetime="${escape(iso)}">${escape(utc.format(new Date(iso)))} UTC</time>`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow, noarchive">
<meta name="referrer" content="no-referrer">
<title>${escape(title)}</title>
<style>${style}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The form of the request the task waits on: where it posts, and what it carries back. */
export interface PageForm {
  action: string;
  requestId: string;
  formToken: string;
  /** After a refused answer: what was sent, and why it was refused. */
  posted?: Record<string, unknown>;
  problems?: string[];
}

export function statusPage(view: TaskStatusView, form?: PageForm): string {
  const sections: string[] = [];
  sections.push(`<h1>${escape(view.typeName ?? 'Your request')}</h1>`);
  sections.push(`<section aria-labelledby="status-heading"><h2 id="status-heading">Status</h2><p class="status ${view.status}">${escape(view.statusLabel)}</p></section>`);
  if (view.eta) {
    sections.push(
      `<section aria-labelledby="eta-heading"><h2 id="eta-heading">When to expect it</h2>` +
        `<p class="range">${escape(view.eta.explanation.at(-1) ?? '')}</p>` +
        `<ul class="explanation">${view.eta.explanation
          .slice(0, -1)
          .map((sentence) => `<li>${escape(sentence)}</li>`)
          .join('')}</ul></section>`,
    );
  }
  if (view.endUserRequest) sections.push(requestSection(view.endUserRequest, form));
  if (view.fields.length > 0) {
    sections.push(
      `<section aria-labelledby="details-heading"><h2 id="details-heading">Details</h2><dl>` +
        view.fields.map((field) => `<dt>${escape(field.label)}</dt><dd>${escape(field.value)}</dd>`).join('') +
        `</dl></section>`,
    );
  }
  sections.push(
    `<section aria-labelledby="history-heading"><h2 id="history-heading">History</h2><ol class="timeline">` +
      view.timeline.map((event) => `<li>${escape(event.label)}${moment(event.at)}</li>`).join('') +
      `</ol></section>`,
  );
  if (view.stats && view.stats.resolvedCount > 0) {
    const { stats } = view;
    const outcomes = stats.outcomes.map((outcome) => `${outcome.percent}% ${outcome.resolution}`).join(', ');
    sections.push(
      `<section aria-labelledby="stats-heading"><h2 id="stats-heading">Tasks like this one</h2><p>` +
        escape(
          `Over the last 6 months, ${stats.resolvedCount} were resolved: the median took ${duration(stats.medianSeconds)} of working time, ` +
            `9 in 10 took at most ${duration(stats.p90Seconds)}, the slowest ${duration(stats.slowestSeconds)}.` +
            (outcomes ? ` Outcomes: ${outcomes}.` : '') +
            (stats.estimates.withinPercent === null
              ? ''
              : ` Of the ${stats.estimates.tasks} we gave an estimate for, ${stats.estimates.withinPercent}% were done by the latest time it said.`),
        ) +
        `</p></section>`,
    );
  }
  const expiry = view.linkExpiresAt ? ` It stops working on ${utc.format(new Date(view.linkExpiresAt))} UTC.` : '';
  sections.push(`<footer><p>Anyone with this link can see this page; keep it to yourself.${escape(expiry)}</p></footer>`);
  return page(`${view.statusLabel} · ${view.typeName ?? 'Your request'}`, sections.join('\n'));
}

function requestSection(request: NonNullable<TaskStatusView['endUserRequest']>, form: PageForm | undefined): string {
  const parts = [`<section aria-labelledby="request-heading"><h2 id="request-heading">We need something from you</h2><p>${escape(request.prompt)}</p>`];
  if (request.actionUrl) {
    parts.push(`<p><a class="button" href="${escape(request.actionUrl)}" rel="noreferrer noopener">Continue at ${escape(new URL(request.actionUrl).host)}</a></p>`);
  }
  if (form && request.fields.length > 0) {
    if (form.problems?.length) {
      parts.push(`<div class="problems" role="alert"><p>Please check your answer:</p><ul>${form.problems.map((problem) => `<li>${escape(problem)}</li>`).join('')}</ul></div>`);
    }
    parts.push(`<form method="post" action="${escape(form.action)}">`);
    parts.push(`<input type="hidden" name="requestId" value="${escape(form.requestId)}"><input type="hidden" name="formToken" value="${escape(form.formToken)}">`);
    for (const field of request.fields) parts.push(fieldHtml(field, form.posted?.[field.name]));
    parts.push(`<button type="submit">Send</button></form>`);
  }
  parts.push('</section>');
  return parts.join('');
}

function fieldHtml(field: NonNullable<TaskStatusView['endUserRequest']>['fields'][number], posted: unknown): string {
  const id = `field-${field.name}`;
  const required = field.required ? ' required' : '';
  const hint = field.hint ? `<small id="${id}-hint">${escape(field.hint)}</small>` : '';
  const described = field.hint ? ` aria-describedby="${id}-hint"` : '';
  const value = typeof posted === 'string' ? posted : '';
  const label = `<label for="${id}">${escape(field.label)}${field.required ? ' *' : ''}</label>`;
  switch (field.kind) {
    case 'boolean':
      return `<p class="check"><input type="checkbox" id="${id}" name="${escape(field.name)}"${posted === 'on' ? ' checked' : ''}${described}> ${label}${hint}</p>`;
    case 'choice':
      return (
        `<p>${label}<select id="${id}" name="${escape(field.name)}"${required}${described}>` +
        (field.required ? '' : '<option value=""></option>') +
        field.options!.map((option) => `<option${String(option) === value ? ' selected' : ''}>${escape(String(option))}</option>`).join('') +
        `</select>${hint}</p>`
      );
    default: {
      const type = field.kind === 'text' ? 'text' : `number" step="${field.kind === 'integer' ? '1' : 'any'}`;
      return `<p>${label}<input type="${type}" id="${id}" name="${escape(field.name)}" value="${escape(value)}"${required}${described}>${hint}</p>`;
    }
  }
}

/** A short page after an answer that cannot be taken (already answered, out of date). */
export function messagePage(message: string, back: string): string {
  return page('Status', `<h1>Status</h1><section><p>${escape(message)}</p><p><a href="${escape(back)}">Back to the status page</a></p></section>`);
}

const statusLinkGoneMessage = 'This status link is unknown, was revoked or has expired.';

export function notFoundPage(): string {
  return page('Link not found', `<h1>Link not found</h1><section><p>${escape(statusLinkGoneMessage)}</p></section>`);
}
