/** Opening logs: file input, a real drop, paste (textarea and paste event), samples; counts from ground truth. */
import path from 'node:path';
import {
  banner,
  dropBytes,
  expect,
  expectOpened,
  fmt,
  gotoApp,
  KERNEL_DIR,
  kernelBytes,
  openPath,
  openTlv,
  pasteText,
  recordCount,
  samples,
  sampleTruth,
  summaryBox,
  table,
  test,
  textLines,
  tlvFixtureNames,
  tlvTruth,
} from './helpers.ts';

test.beforeEach(async ({ page }) => {
  await gotoApp(page);
});

test('file input: a clean little-endian TLV log shows every record', async ({ page }) => {
  const t = tlvTruth('oob-whole');
  await openTlv(page, t);
  await expect(page.getByTestId('format')).toHaveText('TLV, little-endian');
  await expect(page.getByTestId('truncated')).toHaveText('no');
  await expect(banner(page)).toHaveCount(0);
  await expect(page.getByTestId('error')).toHaveCount(0);
  // The first row is record 0 at offset 0, a STRING whose preview is its text.
  const first = table(page).locator('[data-record-index="0"]');
  await expect(first.locator('.col-offset')).toHaveText('0x00000000');
  await expect(first.locator('.col-type')).toHaveText('STRING (1)');
  await expect(first.locator('.col-length')).toHaveText(fmt(t.records[0].len));
  const text = t.bytes
    .subarray(6, 6 + t.records[0].len)
    .toString('utf8')
    .replace(/\n$/, '');
  await expect(first.locator('.col-preview')).toContainText(text);
});

test('file input: a big-endian TLV log is detected as such', async ({ page }) => {
  const t = tlvTruth('oob-big-endian');
  expect(t.big_endian).toBe(true);
  await openTlv(page, t);
  await expect(page.getByTestId('format')).toHaveText('TLV, big-endian');
  const last = t.records.length - 1;
  await table(page).focus();
  await page.keyboard.press('End');
  await expect(table(page).locator(`[data-record-index="${last}"]`)).toHaveAttribute('aria-selected', 'true');
  await expect(table(page).locator(`[data-record-index="${last}"] .col-type`)).toHaveText('END (2)');
  await expect(table(page).locator(`[data-record-index="${last}"] .col-offset`)).toHaveText(
    `0x${t.end_offset?.toString(16).padStart(8, '0')}`,
  );
});

test('record counts equal the ground truth for every TLV fixture', async ({ page }) => {
  for (const name of tlvFixtureNames()) {
    const t = tlvTruth(name);
    await openPath(page, t.file);
    await expectOpened(page, path.basename(t.file), t.records.length);
    await expect(page.getByTestId('format')).toHaveText(
      t.log_size === 0 ? 'none' : `TLV, ${t.big_endian ? 'big' : 'little'}-endian`,
    );
  }
});

test('record counts equal the line counts of the kernel text logs (gzipped or not)', async ({ page }) => {
  const files = [
    'bad-bounds.bin',
    'ok-level2.bin.gz',
    'uninit-reg.bin',
    'btf-bad-kind.bin',
    'stats-only.bin',
  ];
  for (const file of files) {
    const lines = textLines(kernelBytes(file));
    await openPath(page, path.join(KERNEL_DIR, file));
    await expectOpened(page, file, lines.length);
    await expect(page.getByTestId('format')).toHaveText('text');
    await expect(page.getByTestId('type-filter')).toContainText('lines have no type');
    await expect(page.getByTestId('type-filter').getByRole('checkbox')).toHaveCount(0);
    // Text lines have no type: the table gives each its verifier kind instead.
    await expect(table(page).locator('[data-record-index="0"]')).toHaveAttribute('data-kind', /^[a-zA-Z]+$/);
    if (file.endsWith('.gz')) await expect(summaryBox(page)).toContainText('gzipped');
    else await expect(summaryBox(page)).not.toContainText('gzipped');
  }
});

test('a real drop event anywhere on the window opens the file', async ({ page }) => {
  const t = tlvTruth('oob-truncated-600');
  await dropBytes(page, 'dropped-600.bin', t.bytes);
  await expectOpened(page, 'dropped-600.bin', t.records.length);
  await expect(page.locator('.app.dragging')).toHaveCount(0);
  await expect(banner(page)).toBeVisible();
  // A second drop, onto the table this time, replaces the log.
  const w = tlvTruth('oob-whole');
  await dropBytes(page, 'whole.bin', w.bytes, table(page));
  await expectOpened(page, 'whole.bin', w.records.length);
  await expect(banner(page)).toHaveCount(0);
});

test('"Paste text…" decodes the pasted text as a text log', async ({ page }) => {
  const text = kernelBytes('bad-bounds.bin');
  const lines = textLines(text);
  await page.getByRole('button', { name: 'Paste text…' }).click();
  const area = page.getByTestId('paste-input');
  await expect(page.getByRole('button', { name: 'Decode pasted text' })).toBeDisabled();
  await area.fill(lines.join('\n'));
  await page.getByRole('button', { name: 'Decode pasted text' }).click();
  await expectOpened(page, 'pasted text', lines.length);
  await expect(area).toHaveCount(0);
  await expect(page.getByTestId('format')).toHaveText('text');
  await expect(table(page).locator('[data-record-index="0"] .col-preview')).toHaveText(lines[0]);
  // A whole log, from its first line to the verifier's summary: pasted text has no NUL, yet it is complete.
  await expect(page.getByTestId('truncated')).toHaveText('no');
  await expect(banner(page)).toHaveCount(0);
  // Its first half is a log whose end is lost.
  await page.getByRole('button', { name: 'Paste text…' }).click();
  await area.fill(lines.slice(0, lines.length >> 1).join('\n'));
  await page.getByRole('button', { name: 'Decode pasted text' }).click();
  await expect(banner(page)).toContainText('kept the beginning of the log (fixed mode)');
});

test('a paste event outside inputs opens the pasted text', async ({ page }) => {
  const lines = textLines(kernelBytes('uninit-reg.bin'));
  expect(await pasteText(page, `${lines.join('\n')}\n`)).toBe(true);
  await expectOpened(page, 'pasted text', lines.length);
  await expect(page.getByTestId('format')).toHaveText('text');
  // Pasting into the search box filters, it does not open a log.
  await page.getByTestId('search-input').focus();
  const handled = await page.getByTestId('search-input').evaluate((el) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', 'R1');
    const ev = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true });
    el.dispatchEvent(ev);
    return ev.defaultPrevented;
  });
  expect(handled).toBe(false);
  await expect(recordCount(page)).toHaveText(`${fmt(lines.length)} of ${fmt(lines.length)}`);
});

test('every small sample opens with the ground-truth record count', async ({ page }) => {
  const select = page.getByTestId('sample-select');
  const listed = samples();
  await expect(select.locator('option')).toHaveCount(listed.length + 1);
  for (const s of listed) {
    // The 45 MB and 71 MB samples have their own test (large.spec.ts).
    if (/15mb|71mb/.test(s.file)) continue;
    const truth = sampleTruth(s.file);
    await select.selectOption(s.file);
    await expectOpened(page, s.file, truth.records);
    await expect(page.getByTestId('format')).toHaveText(truth.kind === 'text' ? 'text' : /^TLV, /);
  }
});
