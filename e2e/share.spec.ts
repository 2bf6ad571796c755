/**
 * Share links (issue 5): the log travels in the URL, opens on another
 * machine (a fresh browser context: no shared storage) at the same record
 * with the same filters and bytes; over-cap logs get a refusal and working
 * alternatives; hash links check the file; ?src= downloads; damaged links.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { test as base } from '@playwright/test';
import { runCli } from '../src/testing/cli.ts';
import {
  expect,
  expectOpened,
  fmt,
  gotoApp,
  openPath,
  openTlv,
  recordCount,
  recordText,
  revealRow,
  row,
  selectedRows,
  TLV_DIR,
  tlvTruth,
} from './helpers.ts';

/** Fails a test whose pages throw or log console errors; requests are checked per test. */
const test = base.extend<{ watch: (page: Page) => void }>({
  watch: [
    async ({ page }, use) => {
      const problems: string[] = [];
      const watch = (p: Page) => {
        p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
        p.on('console', (m) => {
          // A failed ?src= download is logged by the browser itself; the app's message is checked instead.
          if (
            m.type() === 'error' &&
            !/Failed to load resource|Access-Control-Allow-Origin|CORS/.test(m.text())
          )
            problems.push(`console.error: ${m.text()}`);
        });
      };
      watch(page);
      await use(watch);
      expect(problems).toEqual([]);
    },
    { auto: true },
  ],
});

async function freshPage(
  browser: Browser,
  baseURL: string | undefined,
  watch: (p: Page) => void,
): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  watch(page);
  return page;
}

async function shareLink(page: Page): Promise<string> {
  await page.getByTestId('share-button').click();
  const box = page.getByTestId('share-link');
  await expect(box).toBeVisible();
  const link = await box.inputValue();
  await expect(page.getByTestId('share-link-length')).toHaveText(fmt(link.length));
  return link;
}

const oob = () => tlvTruth('oob-unknown-types');

test('a shared link reopens the same bytes, record and filters in a fresh browser', async ({
  page,
  browser,
  baseURL,
  watch,
}) => {
  const t = oob();
  await gotoApp(page);
  await openTlv(page, t);
  const target = t.records.findIndex((r, i) => i > 5 && r.type !== 1 && r.type !== 2);
  await (await revealRow(page, target)).click();
  await page.getByTestId('search-input').fill('R1');
  const matching = t.records.filter((_, i) => recordText(t, i)?.includes('R1')).length;
  await expect(recordCount(page)).toHaveText(`${fmt(matching)} of ${fmt(t.records.length)}`);
  const hexBefore = await page.getByTestId('hex-view').textContent();
  const link = await shareLink(page);
  expect(link).toMatch(/#v=1&n=\d+/);
  expect(link).toContain('q=R1');

  const other = await freshPage(browser, baseURL, watch);
  await other.goto(link);
  await expect(recordCount(other)).toHaveText(`${fmt(matching)} of ${fmt(t.records.length)}`);
  await expect(other.getByTestId('search-input')).toHaveValue('R1');
  // The selected record is hidden by the filter, as it was for the sender; clear it and it is there.
  await other.getByTestId('search-input').fill('');
  await expect(recordCount(other)).toHaveText(`${fmt(t.records.length)} of ${fmt(t.records.length)}`);
  await expect(selectedRows(other)).toHaveAttribute('data-record-index', String(target));
  await expect(other.getByTestId('hex-view')).toHaveText(hexBefore ?? '');
  await other.context().close();
});

test('a link made by `bpflog share` in Node opens in the page at its record and filter', async ({
  page,
  baseURL,
}) => {
  const t = oob();
  const rec = t.records.findIndex((r, i) => i > 5 && r.type === 1);
  const { status, stdout } = await runCli([
    'share',
    t.file,
    '--rec',
    String(rec),
    '--show-types',
    '1,2',
    '--base',
    `${baseURL}/`,
  ]);
  expect(status).toBe(0);
  const strings = t.records.filter((r) => r.type === 1 || r.type === 2).length;
  await page.goto(stdout.trim());
  await expect(recordCount(page)).toHaveText(`${fmt(strings)} of ${fmt(t.records.length)}`);
  await expect(selectedRows(page)).toHaveAttribute('data-record-index', String(rec));
});

test('a log too big for a link is refused, and its filtered excerpt opens elsewhere', async ({
  page,
  browser,
  baseURL,
  watch,
}) => {
  const file = path.join(TLV_DIR, 'loop-15mb-fragments.bin.gz');
  const t = tlvTruth('loop-15mb-fragments');
  await gotoApp(page);
  await openPath(page, file);
  // A 45 MB buffer of a million records: give its decode more than the default 5 s on a busy machine.
  await expect(recordCount(page)).toHaveText(`${fmt(t.records.length)} of ${fmt(t.records.length)}`, {
    timeout: 30_000,
  });
  await page.getByTestId('search-input').fill('processed');
  const matching = t.records.filter((_, i) => recordText(t, i)?.includes('processed')).length;
  expect(matching).toBeGreaterThan(0);
  await expect(recordCount(page)).toHaveText(`${fmt(matching)} of ${fmt(t.records.length)}`);
  await page.getByTestId('share-button').click();
  await expect(page.getByTestId('share-refusal')).toContainText('more than the 524,288', { timeout: 30_000 });
  await page.getByRole('button', { name: `Link to the ${fmt(matching)} records shown` }).click();
  const box = page.getByTestId('share-alternative');
  await expect(box).toBeVisible();
  const link = await box.inputValue();
  expect(link.length).toBeLessThan(2000);

  const other = await freshPage(browser, baseURL, watch);
  await other.goto(link);
  // The excerpt: the matching records plus END (with the original count), and a note saying so.
  await expect(recordCount(other)).toHaveText(`${fmt(matching + 1)} of ${fmt(matching + 1)}`);
  await expect(other.getByTestId('notice')).toContainText(
    `Excerpt: ${fmt(matching + 1)} of ${fmt(t.records.length)} records`,
  );
  await expect(row(other, 0)).toContainText('processed');
  await other.context().close();
});

test('a hash link opens with the right file and says so for a wrong one', async ({
  page,
  browser,
  baseURL,
  watch,
}) => {
  const t = oob();
  await gotoApp(page);
  await openTlv(page, t);
  await (await revealRow(page, 3)).click();
  await expect(page).toHaveURL(/sha256=[0-9a-f]{64}/);
  const link = page.url();

  const right = await freshPage(browser, baseURL, watch);
  await right.goto(link);
  await expect(right.getByTestId('pending-hash')).toContainText('names a log by its SHA-256');
  await openPath(right, t.file);
  await expect(right.getByTestId('notice')).toContainText('SHA-256 matches');
  await expect(selectedRows(right)).toHaveAttribute('data-record-index', '3');
  await right.context().close();

  const wrong = await freshPage(browser, baseURL, watch);
  await wrong.goto(link);
  await expect(wrong.getByTestId('pending-hash')).toBeVisible();
  await openPath(wrong, path.join(TLV_DIR, 'oob-whole.bin'));
  await expect(wrong.getByTestId('error')).toContainText('not the file the link names');
  await wrong.context().close();
});

test('the refusal offers the buffer as a download with a link that names it', async ({ page }) => {
  const file = path.join(TLV_DIR, 'loop-15mb-fragments.bin.gz');
  await gotoApp(page);
  await openPath(page, file);
  await expect(page.getByTestId('share-button')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('share-button').click();
  const download = page.waitForEvent('download');
  await expect(page.getByTestId('share-refusal')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Download the buffer + a link naming it' }).click();
  expect((await download).suggestedFilename()).toBe('loop-15mb-fragments.bin');
  await expect(page.getByTestId('share-alternative')).toHaveValue(/#v=1&n=44699907&sha256=[0-9a-f]{64}/);
});

test('a reload reopens the log from this browser’s recent logs, which can be forgotten', async ({ page }) => {
  const t = oob();
  await gotoApp(page);
  await openTlv(page, t);
  await expect(page).toHaveURL(/sha256=/);
  await page.reload();
  await expect(page.getByTestId('notice')).toContainText('Reopened from the recent logs');
  await expect(recordCount(page)).toHaveText(`${fmt(t.records.length)} of ${fmt(t.records.length)}`);
  await page.goto('/');
  await expect(page.getByTestId('recent-logs')).toContainText(path.basename(t.file));
  await page.getByRole('button', { name: 'Forget recent logs' }).click();
  await expect(page.getByTestId('recent-logs')).toHaveCount(0);
});

test('damaged links say so, open nothing, and leave the app usable', async ({
  page,
  browser,
  baseURL,
  watch,
}) => {
  const t = oob();
  await gotoApp(page);
  await openTlv(page, t);
  const link = await shareLink(page);
  const d = link.indexOf('&d=') + 3;
  const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
  const damaged = [
    link.slice(0, link.length - 10),
    flip(link, d + 5),
    flip(link, link.length - 3),
    `${link}AAAA`,
    link.replace('#v=1', '#v=2'),
  ];
  for (const bad of damaged) {
    const other = await freshPage(browser, baseURL, watch);
    await other.goto(bad);
    await expect(other.getByTestId('error')).toContainText(/This link is damaged|newer version/);
    await expect(other.locator('[data-record-index]')).toHaveCount(0);
    // Still usable: a sample opens.
    await other.getByTestId('sample-select').selectOption('oob-truncated-600.bin');
    await expect(recordCount(other)).toHaveText('11 of 11');
    await other.context().close();
  }
});

test.describe('?src= downloads', () => {
  let server: http.Server;
  let origin = '';
  test.beforeAll(async () => {
    const t = oob();
    server = http.createServer((req, res) => {
      if (req.url === '/log.bin') {
        res.writeHead(200, { 'access-control-allow-origin': '*', 'content-length': t.bytes.length });
        res.end(t.bytes);
      } else if (req.url === '/no-cors.bin') {
        res.writeHead(200);
        res.end(t.bytes);
      } else {
        res.writeHead(404, { 'access-control-allow-origin': '*' });
        res.end('not here');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('opens a log from a URL the link names', async ({ page }) => {
    const t = oob();
    await page.goto(`/?src=${encodeURIComponent(`${origin}/log.bin`)}#v=1&rec=4`);
    await expectOpened(page, 'log.bin', t.records.length);
    await expect(selectedRows(page)).toHaveAttribute('data-record-index', '4');
  });

  test('explains HTTP and CORS failures plainly', async ({ page }) => {
    await page.goto(`/?src=${encodeURIComponent(`${origin}/missing.bin`)}`);
    await expect(page.getByTestId('error')).toContainText('HTTP 404');
    await page.goto(`/?src=${encodeURIComponent(`${origin}/no-cors.bin`)}`);
    await expect(page.getByTestId('error')).toContainText('CORS');
    await page.getByTestId('sample-select').selectOption('oob-truncated-600.bin');
    await expect(recordCount(page)).toHaveText('11 of 11');
  });
});
