import type { Page } from 'playwright-core';
import { call } from '@taskinbox/testing';
import { buildAgent, enrolmentToken, removeAgents, type RunningAgent, startAgent } from '../../agent/e2e/agent.fixture';
import { eventually, expectText, screenshot, scrollsSideways, startWebApp, type WebApp } from './web-app.fixture';

// The devices pages on a phone (390×844), with three real agents enrolled against the app: the
// list follows presence live, and a run now on the group shows each device's run as it finishes.
jest.setTimeout(120_000);

let web: WebApp;
let page: Page;
const agents: RunningAgent[] = [];
let groupId: string;

beforeAll(async () => {
  buildAgent();
  web = await startWebApp({ env: { DEVICES_HEARTBEAT_SECONDS: '1', DEVICES_POLL_SECONDS: '2' } });
  const group = await call(web.t.url, 'POST', '/api/device-groups', { token: web.org.tokens.admin, body: { name: 'web servers' } });
  groupId = group.body.id;
  for (const name of ['web-1', 'web-2', 'web-3']) {
    agents.push(
      await startAgent(web.t, await enrolmentToken(web.t, web.org, [groupId]), { name, env: { TASKINBOX_AGENT_LABELS: 'role=web' } }),
    );
  }
  await call(web.t.url, 'POST', '/api/jobs', {
    token: web.org.tokens.admin,
    body: {
      name: 'disk check',
      description: 'How full the root disk is',
      actions: [{ type: 'SCRIPT', content: 'echo "root disk on $(hostname):"; df -h / | tail -n 1' }],
    },
  });
  ({ page } = await web.open({ viewport: 'phone', as: web.admin }));
});
afterAll(async () => {
  await removeAgents();
  await web?.close();
});

const card = (name: string) => page.getByRole('listitem', { name, exact: true });

it('lists the devices with presence, last seen, facts and groups, and follows presence live', async () => {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Devices' }).click();
  for (const name of ['web-1', 'web-2', 'web-3']) await expectText(card(name), 'Online', 30_000);
  await expectText(card('web-1'), 'web servers');
  await expectText(card('web-1'), /Linux|Debian|Ubuntu/);
  await expectText(card('web-1'), /s ago/);
  expect(await scrollsSideways(page)).toBe(false);
  await screenshot(page, 'devices-phone');

  // No reload: the page hears the agent go and come back.
  await agents[1].stop();
  await expectText(card('web-2'), 'Offline', 30_000);
  agents[1].start();
  await expectText(card('web-2'), 'Online', 30_000);
});

it('runs a job now on the group of three and shows each device’s run and its output', async () => {
  await page.getByRole('navigation', { name: 'Devices sections' }).getByRole('link', { name: 'Jobs' }).click();
  await page.getByRole('link', { name: 'disk check' }).click();
  await page.getByRole('region', { name: 'Run now' }).getByLabel('On').selectOption({ label: 'web servers (3 devices)' });
  await page.getByRole('button', { name: 'Run now' }).click();
  const perDevice = page.getByRole('region', { name: 'Run now' }).getByRole('listitem');
  for (const name of ['web-1', 'web-2', 'web-3']) {
    await perDevice.filter({ hasText: name }).filter({ hasText: 'Succeeded' }).first().waitFor({ timeout: 30_000 });
  }
  expect(await perDevice.count()).toBe(3);
  // The server agrees: three runs, each succeeded.
  await eventually('three succeeded runs', async () => {
    const { body } = await call(web.t.url, 'GET', '/api/runs?status=succeeded', { token: web.org.tokens.viewer });
    return body.items.length === 3;
  });
  expect(await scrollsSideways(page)).toBe(false);
  await page.getByRole('region', { name: 'Run now' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'devices-run-now-phone');

  await perDevice.filter({ hasText: 'web-2' }).getByRole('link', { name: 'web-2' }).click();
  await expectText(page.getByLabel('Output of action 1'), 'root disk on');
  await expectText(page.getByRole('region', { name: 'Run' }), 'Succeeded');
  expect(await scrollsSideways(page)).toBe(false);
  await screenshot(page, 'devices-run-phone');
});
