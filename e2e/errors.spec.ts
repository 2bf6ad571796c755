/** Bad inputs: empty, random bytes, broken gzip, failed sample fetch, races. The app must stay usable. */
import zlib from 'node:zlib';
import type { Page } from '@playwright/test';
import {
  banner,
  dropBytes,
  expect,
  expectOpened,
  fmt,
  gotoApp,
  kernelBytes,
  openBytes,
  openTlv,
  pseudoRandomBytes,
  recordCount,
  row,
  table,
  test,
  textLines,
  tlvTruth,
} from './helpers.ts';

test.beforeEach(async ({ page }) => {
  await gotoApp(page);
});

/** After a bad input: a good log still opens, and the table still works. */
async function stillUsable(page: Page) {
  const t = tlvTruth('oob-whole');
  await openTlv(page, t);
  await expect(banner(page)).toHaveCount(0);
  await row(page, 2).click();
  await expect(row(page, 2)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(row(page, 3)).toHaveAttribute('aria-selected', 'true');
}

const codes = (page: Page) => banner(page).locator('li code');

test('an empty file: the banner says "empty", and the app stays usable', async ({ page }) => {
  const t = tlvTruth('empty');
  expect(t.diagnostic).toBe('empty');
  await openBytes(page, 'empty.bin', Buffer.alloc(0));
  await expectOpened(page, 'empty.bin', 0);
  await expect(banner(page)).toBeVisible();
  await expect(banner(page)).toContainText(/empty/i);
  await expect(codes(page)).toContainText([t.diagnostic as string]);
  // Only that: an empty file is not one past the 1 GiB cap.
  await expect(codes(page)).toHaveCount(1);
  await expect(page.getByTestId('format')).toHaveText('none');
  await expect(table(page).locator('[data-record-index]')).toHaveCount(0);
  // Keys on an empty table do nothing harmful.
  await table(page).focus();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowDown');
  await stillUsable(page);
});

test('random bytes, plain or behind a valid TLV header: flagged, explorable, and the app stays usable', async ({
  page,
}) => {
  await test.step('plain random bytes', async () => {
    await openBytes(page, 'random.bin', pseudoRandomBytes(4096, 0x5eed));
    await expect(page.getByTestId('summary').locator('dd').first()).toHaveText('random.bin');
    await expect(page.getByTestId('format')).toHaveText(/^(text|TLV, (little|big)-endian)$/);
    // Random bytes are not a clean log: the banner must say something.
    await expect(banner(page)).toBeVisible();
    await expect(codes(page).first()).toBeVisible();
    // Every diagnostic link can be followed; every pane opens.
    const links = banner(page).locator('li button');
    for (let k = 0; k < (await links.count()); k++) await links.nth(k).click();
    await page.getByRole('tab', { name: 'Text' }).click();
    await page.getByRole('tab', { name: 'Buffer hex' }).click();
    await expect(page.getByTestId('buffer-hex').locator('span[data-offset="0"]')).toBeAttached();
    await page.getByRole('tab', { name: 'Record' }).click();
  });
  await test.step('a STRING header whose 10 bytes fit, then noise (dropped)', async () => {
    const bytes = Buffer.concat([Buffer.from([1, 0, 10, 0, 0, 0]), pseudoRandomBytes(2000, 42)]);
    await dropBytes(page, 'noise.bin', bytes);
    await expect(page.getByTestId('summary').locator('dd').first()).toHaveText('noise.bin');
    await expect(page.getByTestId('format')).toHaveText(/^TLV, /);
    await expect(banner(page)).toBeVisible();
    await expect(page.getByTestId('truncated')).toHaveText('yes');
    await row(page, 0).click();
    await expect(row(page, 0)).toHaveAttribute('aria-selected', 'true');
    await page.getByRole('tab', { name: 'Text' }).click();
    await page.getByRole('tab', { name: 'Buffer hex' }).click();
    await page.getByRole('tab', { name: 'Record' }).click();
  });
  await stillUsable(page);
});

test('broken gzip (cut in half, or only its magic): reported as damaged, the inflated prefix shown, app usable', async ({
  page,
}) => {
  await test.step('a truncated gzip', async () => {
    const source = kernelBytes('bad-bounds.bin');
    const gz = zlib.gzipSync(source);
    await openBytes(page, 'cut.bin.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    await expect(page.getByTestId('summary').locator('dd').first()).toHaveText('cut.bin.gz');
    await expect(banner(page)).toBeVisible();
    await expect(codes(page)).toContainText(['gzip-truncated']);
    // What was inflated is a prefix of the original text.
    const shown = Number(((await recordCount(page).textContent()) ?? '').split(' of ')[1].replace(/,/g, ''));
    const lines = textLines(source);
    expect(shown).toBeLessThanOrEqual(lines.length);
    if (shown > 1) await expect(row(page, 0).locator('.col-preview')).toHaveText(lines[0]);
  });
  await test.step('only the gzip magic, then noise', async () => {
    const bytes = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), pseudoRandomBytes(200, 7)]);
    await openBytes(page, 'fake.gz', bytes);
    await expect(page.getByTestId('summary').locator('dd').first()).toHaveText('fake.gz');
    await expect(banner(page)).toBeVisible();
    await expect(codes(page)).toContainText(['gzip-corrupt']);
  });
  await stillUsable(page);
});

test('a sample that fails to load shows an error and the app stays usable', async ({ page, guard }) => {
  // The browser logs the 404 itself; that one console error is expected here.
  guard.allowConsoleError(/status of 404/);
  const file = 'bad-bounds.bin';
  await page.route(`**/samples/${file}`, (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.getByTestId('sample-select').selectOption(file);
  await expect(page.getByTestId('error')).toBeVisible();
  await expect(page.getByTestId('error')).toContainText(file);
  await page.getByTestId('error').getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('error')).toHaveCount(0);
  await stillUsable(page);

  // A failure while a log is open keeps that log.
  await page.getByTestId('sample-select').selectOption(file);
  await expect(page.getByTestId('error')).toBeVisible();
  await expect(page.getByTestId('summary').locator('dd').first()).toHaveText('oob-whole.bin');
  await expect(row(page, 3)).toHaveAttribute('aria-selected', 'true');
});

test('bad links do not break the app', async ({ page }) => {
  await gotoApp(page, '#v=1&rec=-3&types=x,70000&q=%E0%A4%A&re=maybe');
  const t = tlvTruth('oob-whole');
  await page.getByLabel('Open a log file').setInputFiles(t.file);
  await expect(page.getByTestId('summary').locator('dd').first()).toHaveText('oob-whole.bin');
  await expect(table(page).locator('[aria-selected="true"]')).toHaveCount(0);
  await page.evaluate(() => {
    location.hash = '#rec=abc&v=99';
  });
  await expect(recordCount(page)).toHaveText(`${fmt(t.records.length)} of ${fmt(t.records.length)}`);
  await stillUsable(page);
});

test('the last log opened wins, even when an earlier sample is still downloading', async ({ page }) => {
  // Hold the sample's download until the user has opened another file.
  const sample = 'bad-bounds.bin';
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(`**/samples/${sample}`, async (route) => {
    await held;
    await route.continue();
  });
  await page.getByTestId('sample-select').selectOption(sample);
  await expect(page.getByRole('status').filter({ hasText: `Loading sample ${sample}` })).toBeVisible();

  const small = tlvTruth('oob-whole');
  await openTlv(page, small);
  await row(page, 1).click();
  await expect(row(page, 1)).toHaveAttribute('aria-selected', 'true');

  // Now the old download completes: it must not replace the log the user opened after it.
  const finished = page.waitForEvent('requestfinished', (r) => r.url().endsWith(`/samples/${sample}`));
  release();
  await finished;
  // Proving that nothing happens needs a bounded wait: give the stale response time to be decoded and shown.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 1000)));
  await expect(page.locator('.loading-line')).toHaveCount(0);
  await expect(page.getByTestId('summary').locator('dd').first()).toHaveText('oob-whole.bin');
  await expect(recordCount(page)).toHaveText(`${fmt(small.records.length)} of ${fmt(small.records.length)}`);
  await expect(row(page, 1)).toHaveAttribute('aria-selected', 'true');
});

test('a 5 MB line (a CI log with its newlines lost): the row and the record pane show its start and say it was cut', async ({
  page,
}) => {
  // The 15 MB level-2 log's first 5 MB with newlines turned to spaces, then its summary line.
  const kernel = kernelBytes('loop-level2-15mb.bin.gz');
  const body = Buffer.from(kernel.subarray(0, 5 << 20)).map((b) => (b === 0x0a || b === 0 ? 0x20 : b));
  const log = Buffer.concat([body, Buffer.from('\nprocessed 9 insns (limit 1000000)\n')]);
  await gotoApp(page);
  await openBytes(page, 'one-line.log', log);
  await expectOpened(page, 'one-line.log', 2);
  const first = row(page, 0);
  await expect(first).toContainText('func#0 @0');
  await first.click();
  await expect(first).toHaveAttribute('aria-selected', 'true');
  const cut = page.getByTestId('record-text-cut');
  await expect(cut).toContainText(`${fmt(body.length - 16 * 1024)} more`);
  await expect(cut).toContainText('Buffer hex');
  // Only the shown part reached the page: the row's text and the pane's are a few KiB, not 5 MB.
  const shown = await page.evaluate(() =>
    Math.max(
      ...[...document.querySelectorAll('body *')].map((e) =>
        e.children.length ? 0 : (e.textContent ?? '').length,
      ),
    ),
  );
  expect(shown).toBeLessThanOrEqual(16 * 1024 + 1);
  await row(page, 1).click();
  await expect(row(page, 1)).toHaveAttribute('aria-selected', 'true');
});
