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

export function statusPage(view: TaskStatusView): string {
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
            (outcomes ? ` Outcomes: ${outcomes}.` : ''),
        ) +
        `</p></section>`,
    );
  }
  const expiry = view.linkExpiresAt ? ` It stops working on ${utc.format(new Date(view.linkExpiresAt))} UTC.` : '';
  sections.push(`<footer><p>Anyone with this link can see this page; keep it to yourself.${escape(expiry)}</p></footer>`);
  return page(`${view.statusLabel} · ${view.typeName ?? 'Your request'}`, sections.join('\n'));
}

export const statusLinkGoneMessage = 'This status link is unknown, was revoked or has expired.';

export function notFoundPage(): string {
  return page('Link not found', `<h1>Link not found</h1><section><p>${escape(statusLinkGoneMessage)}</p></section>`);
}
