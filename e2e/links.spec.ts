/** The URL fragment: deep links, links changed in place, Back/Forward, filters in the link, the copy-link button. */
import {
  detailHeading,
  expect,
  fmt,
  gotoApp,
  openTlv,
  recordCount,
  row,
  selectedRows,
  TYPE_END,
  TYPE_STRING,
  test,
  tlvTruth,
} from './helpers.ts';

const fragmentRec = (url: string) => new URLSearchParams(url.split('#')[1] ?? '').get('rec');

test('a deep link opened in a fresh page selects the record once the log is opened, scrolled into view', async ({
  browser,
  baseURL,
  guard,
}) => {
  const t = tlvTruth('ok2-fragments');
  // Far enough down that the table must scroll to it.
  const target = Math.floor(t.records.length * 0.8);
  const context = await browser.newContext({ baseURL, viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    guard.watch(page);
    await gotoApp(page, `#v=1&rec=${target}`);
    await openTlv(page, t);
    await expect(row(page, target)).toHaveAttribute('aria-selected', 'true');
    await expect(row(page, target)).toBeInViewport();
    await expect(selectedRows(page)).toHaveCount(1);
    await expect(detailHeading(page)).toContainText(`Record ${fmt(target)} ·`);
    expect(fragmentRec(page.url())).toBe(String(target));
  } finally {
    await context.close();
  }
});

test('a deep link with filters applies them to the opened log', async ({ page }) => {
  const t = tlvTruth('oob-unknown-types');
  const unknown = t.records.flatMap((r, i) => (r.type > TYPE_END ? [i] : []));
  const type = t.records[unknown[0]].type;
  const ofType = t.records.filter((r) => r.type === type).length;
  await gotoApp(page, `#v=1&rec=${unknown[0]}&types=${type}`);
  await page.getByLabel('Open a log file').setInputFiles(t.file);
  await expect(recordCount(page)).toHaveText(`${fmt(ofType)} of ${fmt(t.records.length)}`);
  await expect(row(page, unknown[0])).toHaveAttribute('aria-selected', 'true');
  const filter = page.getByTestId('type-filter');
  const strings = t.records.filter((r) => r.type === TYPE_STRING).length;
  await expect(filter.getByRole('checkbox', { name: `STRING (1) · ${fmt(strings)}` })).not.toBeChecked();
  await expect(filter.getByRole('checkbox', { name: `unknown (${type}) · ${fmt(ofType)}` })).toBeChecked();

  // A link with a regex query, loaded afresh.
  await page.goto('about:blank');
  await gotoApp(page, `#v=1&q=${encodeURIComponent('^R1 max')}&re=1`);
  await page.getByLabel('Open a log file').setInputFiles(t.file);
  const hits = t.records.filter(
    (r) =>
      r.type === TYPE_STRING &&
      /^R1 max/u.test(t.bytes.subarray(r.offset + 6, r.offset + 6 + r.len).toString('utf8')),
  ).length;
  await expect(recordCount(page)).toHaveText(`${fmt(hits)} of ${fmt(t.records.length)}`);
  await expect(page.getByTestId('search-input')).toHaveValue('^R1 max');
  await expect(page.getByRole('checkbox', { name: 'regex' })).toBeChecked();
});

test('changing the link of the loaded log scrolls to and selects the record', async ({ page }) => {
  const t = tlvTruth('ok2-fragments');
  await gotoApp(page);
  await openTlv(page, t);
  const far = t.records.length - 5;
  await expect(row(page, far)).toHaveCount(0); // not drawn yet: the table must scroll
  await page.evaluate((rec) => {
    location.hash = `#v=1&rec=${rec}`;
  }, far);
  await expect(row(page, far)).toHaveAttribute('aria-selected', 'true');
  await expect(row(page, far)).toBeInViewport();
  await expect(detailHeading(page)).toContainText(`Record ${fmt(far)} ·`);

  await page.evaluate(() => {
    location.hash = '#v=1&rec=1';
  });
  await expect(row(page, 1)).toHaveAttribute('aria-selected', 'true');
  await expect(row(page, 1)).toBeInViewport();
  await expect(selectedRows(page)).toHaveCount(1);

  // A record number past the end selects nothing and breaks nothing.
  await page.evaluate((rec) => {
    location.hash = `#v=1&rec=${rec}`;
  }, t.records.length + 1000);
  await expect(selectedRows(page)).toHaveCount(0);
  await expect(recordCount(page)).toHaveText(`${fmt(t.records.length)} of ${fmt(t.records.length)}`);
});

test('Back and Forward walk the selections; keyboard moves and filters replace the entry', async ({
  page,
}) => {
  const t = tlvTruth('ok2-fragments');
  await gotoApp(page);
  await openTlv(page, t);
  const length = () => page.evaluate(() => history.length);
  const start = await length();

  await row(page, 2).click();
  await expect(row(page, 2)).toHaveAttribute('aria-selected', 'true');
  await row(page, 5).click();
  await expect(row(page, 5)).toHaveAttribute('aria-selected', 'true');
  expect(await length()).toBe(start + 2);

  // Keyboard: replaces.
  await page.keyboard.press('ArrowDown');
  await expect(row(page, 6)).toHaveAttribute('aria-selected', 'true');
  expect(fragmentRec(page.url())).toBe('6');
  expect(await length()).toBe(start + 2);

  // Typing a filter: replaces.
  await page.getByTestId('search-input').fill('R1');
  await expect.poll(() => decodeURIComponent(page.url())).toContain('q=R1');
  expect(await length()).toBe(start + 2);
  await page.getByTestId('search-input').fill('');
  await expect(recordCount(page)).toHaveText(`${fmt(t.records.length)} of ${fmt(t.records.length)}`);

  await page.goBack();
  await expect(row(page, 2)).toHaveAttribute('aria-selected', 'true');
  await expect(selectedRows(page)).toHaveCount(1);
  expect(fragmentRec(page.url())).toBe('2');
  await expect(detailHeading(page)).toContainText('Record 2 ·');

  await page.goBack();
  await expect(selectedRows(page)).toHaveCount(0);
  expect(fragmentRec(page.url())).toBeNull();

  await page.goForward();
  await expect(row(page, 2)).toHaveAttribute('aria-selected', 'true');
  await page.goForward();
  await expect(row(page, 6)).toHaveAttribute('aria-selected', 'true');
  expect(fragmentRec(page.url())).toBe('6');
});

test('"link" copies a link to the record; opened in a fresh browser with the file, it selects it', async ({
  page,
  context,
  browser,
  baseURL,
  guard,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const t = tlvTruth('oob-whole');
  await gotoApp(page);
  await openTlv(page, t);
  const button = page.getByRole('button', { name: 'Copy link to record 4' });
  await button.click();
  await expect(button).toHaveText('copied');
  // The click copies, it does not select.
  await expect(selectedRows(page)).toHaveCount(0);
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(fragmentRec(link)).toBe('4');
  expect(new URL(link).origin).toBe(new URL(baseURL ?? '').origin);

  // Someone else opens the link (no storage shared with this browser), then the file.
  const other = await browser.newContext({ baseURL, viewport: { width: 1400, height: 900 } });
  try {
    const fresh = await other.newPage();
    guard.watch(fresh);
    await fresh.goto(link);
    await expect(fresh.getByRole('heading', { name: 'BPF Log Inspector' })).toBeVisible();
    await openTlv(fresh, t);
    await expect(row(fresh, 4)).toHaveAttribute('aria-selected', 'true');
    await expect(detailHeading(fresh)).toContainText('Record 4 ·');
  } finally {
    await other.close();
  }
});
