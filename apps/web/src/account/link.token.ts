/**
 * The token of a single-use link (/invitation#…, /reset-password#…). It travels in the fragment,
 * which the browser never sends to a server; it is taken out of the address bar at once so it
 * does not stay in history or reach a screenshot.
 */
export function takeLinkToken(): string {
  const token = window.location.hash.slice(1);
  if (token) window.history.replaceState(null, '', window.location.pathname);
  return token;
}
