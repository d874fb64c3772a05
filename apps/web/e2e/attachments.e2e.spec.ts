import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { until } from '@taskinbox/testing';
import { csv, pdf, png, rotatedJpeg, unknownBinary } from '../../../libs/attachments/src/attachments.fixture';
import { startWebApp, type WebApp } from './web-app.fixture';

let web: WebApp;
let dir: string;
beforeAll(async () => {
  web = await startWebApp();
  dir = await mkdtemp(path.join(tmpdir(), 'phone-files-'));
}, 120_000);
afterAll(async () => {
  await web?.close();
  await rm(dir, { recursive: true, force: true });
});

it('on a phone, files chosen for a task upload (tus) and each gets its preview without a reload', async () => {
  const task = await web.createTask({ type: 'refund.request', title: 'Refund with photos' });
  const { page } = await web.open({ viewport: 'phone', as: web.admin });
  await page.goto(`${web.t.url}/tasks/${task.id}`);
  const attachments = page.getByRole('region', { name: /Attachments/ });
  await attachments.getByText('No attachments.').waitFor();

  const files = [
    ['photo.jpg', await rotatedJpeg()],
    ['screen.png', await png()],
    ['invoice.pdf', pdf()],
    ['lines.csv', csv()],
    ['blob.bin', unknownBinary()],
  ] as const;
  for (const [name, bytes] of files) await writeFile(path.join(dir, name), bytes);
  await page.getByLabel('Add files').setInputFiles(files.map(([name]) => path.join(dir, name)));

  for (const name of ['photo.jpg', 'screen.png', 'invoice.pdf']) {
    const preview = attachments.getByAltText(`Preview of ${name}`);
    await preview.waitFor({ timeout: 60_000 });
    await until(page, `[...document.images].some((image) => image.alt === ${JSON.stringify(`Preview of ${name}`)} && image.complete && image.naturalWidth > 0)`, 60_000);
  }
  await attachments.getByLabel('First lines of lines.csv').waitFor({ timeout: 60_000 });
  expect(await attachments.getByLabel('First lines of lines.csv').textContent()).toContain('1001,12.50,EUR');
  await attachments.locator('[data-preview="icon"]').filter({ hasText: 'blob.bin' }).waitFor({ timeout: 60_000 });
  // The upload control also offers the camera.
  expect(await page.getByLabel('Take a photo').getAttribute('capture')).toBe('environment');
}, 180_000);
