import { until } from '@taskinbox/testing';
import { type Person, screenshot, scrollsSideways, startWebApp, type WebApp } from './web-app.fixture';

// The installable app: its manifest and service worker register under the page's CSP; an
// assignment shows up in Alerts, whose link opens the task with Start one tap away; the On call
// page says who is on call now and which rules route tasks.
jest.setTimeout(120_000);

let web: WebApp;
let mia: Person;
beforeAll(async () => {
  web = await startWebApp();
  const member = await web.org.addUser('member');
  mia = { id: member.id, email: member.email, password: member.password, token: member.token };
});
afterAll(async () => {
  await web?.close();
});

const asAdmin = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${web.t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${web.org.tokens.admin}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as any;
};

it('registers the service worker, lists an assignment in Alerts and opens its task from there', async () => {
  // Mia is on call around the clock; new refunds go to whoever is on call.
  const schedule = await asAdmin('POST', '/api/oncall/schedules', {
    name: 'Support',
    timeZone: 'Europe/Berlin',
    rules: [{ days: [0, 1, 2, 3, 4, 5, 6], start: '00:00', end: '00:00', target: { kind: 'user', id: mia.id } }],
  });
  await asAdmin('POST', '/api/routing-rules', {
    name: 'Refunds to on call',
    match: { taskTypes: ['refund.request'] },
    target: { kind: 'schedule', id: schedule.id },
    escalation: [{ afterMinutes: 15, target: { kind: 'user', id: web.admin.id } }],
  });

  const manifest = await fetch(`${web.t.url}/manifest.webmanifest`);
  expect(manifest.status).toBe(200);
  expect(await manifest.json()).toMatchObject({ display: 'standalone', start_url: '/' });
  const worker = await fetch(`${web.t.url}/sw.js`);
  expect(worker.headers.get('content-type')).toMatch(/javascript/);

  const { page } = await web.open({ viewport: 'phone', as: mia });
  // Registered, active and in control of the page (the worker claims its clients on activation).
  await until(page, `navigator.serviceWorker.controller?.scriptURL === '${web.t.url}/sw.js'`, 20_000);

  // A push message as the push service would hand it over: the worker shows it, tagged by the task's topic.
  await page.context().grantPermissions(['notifications'], { origin: web.t.url });
  const cdp = await page.context().newCDPSession(page);
  const registration = new Promise<string>((resolve) =>
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((candidate) => candidate.scopeURL === `${web.t.url}/` && !candidate.isDeleted);
      if (ours) resolve(ours.registrationId);
    }),
  );
  await cdp.send('ServiceWorker.enable');
  const topic = 'a'.repeat(32);
  await cdp.send('ServiceWorker.deliverPushMessage', {
    origin: web.t.url,
    registrationId: await registration,
    data: JSON.stringify({ title: 'Assigned to you: a pushed task', body: 'refund.request', url: '/tasks/x', topic }),
  });
  const shown = () =>
    page.evaluate<string[]>(
      `navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((list) => list.map((n) => n.tag + ' ' + n.title))`,
    );
  for (let tries = 0; !(await shown()).includes(`${topic} Assigned to you: a pushed task`); tries++) {
    if (tries > 100) throw new Error(`the pushed notification was not shown: ${JSON.stringify(await shown())}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const task = await web.createTask({ type: 'refund.request', title: 'Refund order ORD-7001' });
  // The task is routed to Mia, and the assignment becomes her notification.
  for (let tries = 0; ; tries++) {
    const response = await fetch(`${web.t.url}/api/notifications`, { headers: { authorization: `Bearer ${mia.token}` } });
    const list = (await response.json()) as { items: { taskId: string }[] };
    if (list.items.some((item) => item.taskId === task.id)) break;
    if (tries > 200) throw new Error('no notification for the routed task');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /Alerts/ }).click();
  const item = page.getByRole('list', { name: 'Notifications' }).getByRole('listitem').filter({ hasText: 'Refund order ORD-7001' });
  await item.waitFor();
  await item.getByText('Assigned to you: Refund order ORD-7001').waitFor();
  await page.getByRole('heading', { name: 'How to reach you' }).scrollIntoViewIfNeeded();
  await page.getByLabel('Push for normal').waitFor();
  await screenshot(page, 'notification-settings-phone');
  expect(await scrollsSideways(page)).toBe(false);

  await page.getByRole('checkbox', { name: 'Quiet hours (urgent still comes through)' }).check();
  await page.getByRole('button', { name: 'Save preferences' }).click();
  await page.getByText('Preferences saved.').waitFor();

  await item.getByRole('link', { name: 'Assigned to you: Refund order ORD-7001' }).click();
  await until(page, `location.pathname === '/tasks/${task.id}'`);
  await page.getByRole('button', { name: 'Start task' }).waitFor();

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'On call' }).click();
  const support = page.getByRole('list', { name: 'Schedules' }).getByRole('listitem').filter({ hasText: 'Support' });
  await support.getByText(/^Now: mem/).waitFor();
  await page.getByRole('list', { name: 'Routing rules' }).getByText('Refunds to on call').waitFor();
  await page.getByText('then after 15 min unclaimed').waitFor();
  await screenshot(page, 'oncall-phone');
  expect(await scrollsSideways(page)).toBe(false);
  expect(web.policyViolations).toEqual([]);
});
