/** Record pane (fields ↔ bytes), the whole-buffer hex view and the joined text view. */
import path from 'node:path';
import type { Page } from '@playwright/test';
import {
  collectVirtualRows,
  detailHeading,
  expect,
  expectOpened,
  gotoApp,
  joinedLines,
  KERNEL_DIR,
  kernelBytes,
  openPath,
  openTlv,
  revealRow,
  row,
  TLV_HEADER,
  TYPE_END,
  TYPE_STRING,
  tab,
  test,
  textLines,
  tlvTruth,
} from './helpers.ts';

test.beforeEach(async ({ page }) => {
  await gotoApp(page);
});

const hexView = (page: Page) => page.getByTestId('hex-view');
const field = (page: Page, id: string) => page.locator(`tr[data-field="${id}"]`);
const range = (start: number, end: number) => Array.from({ length: end - start }, (_, k) => start + k);

/** Offsets of the highlighted bytes in the record pane's hex view. */
async function highlighted(page: Page): Promise<number[]> {
  return hexView(page)
    .locator('span[data-offset].highlight')
    .evaluateAll((spans) => spans.map((s) => Number(s.getAttribute('data-offset'))).sort((a, b) => a - b));
}

async function expectActiveField(page: Page, id: string) {
  await expect(field(page, id)).toHaveAttribute('aria-selected', 'true');
  await expect(field(page, id)).toHaveClass(/\bactive\b/);
  await expect(page.locator('tr[data-field][aria-selected="true"]')).toHaveCount(1);
}

test.describe('record pane', () => {
  test('a STRING record: field → bytes and byte → field', async ({ page }) => {
    const t = tlvTruth('oob-whole');
    await openTlv(page, t);
    const i = t.records.findIndex((r, k) => k > 0 && r.type === TYPE_STRING && r.offset % 16 !== 0);
    const { offset, len } = t.records[i];
    await row(page, i).click();
    await expect(detailHeading(page)).toContainText(`Record ${i} · STRING (1)`);
    await expect(field(page, 'type')).toBeVisible();
    await expect(page.locator('tr[data-field]')).toHaveCount(3); // type, len, contents
    await expect(hexView(page).locator('span[data-offset]')).toHaveCount(TLV_HEADER + len);
    await expect(hexView(page).locator(`span[data-offset="${offset}"]`)).toHaveText(
      t.bytes[offset].toString(16).padStart(2, '0'),
    );
    await expect.poll(() => highlighted(page)).toEqual([]);

    await field(page, 'type').click();
    await expect.poll(() => highlighted(page)).toEqual(range(offset, offset + 2));
    await expectActiveField(page, 'type');
    await field(page, 'len').click();
    await expect.poll(() => highlighted(page)).toEqual(range(offset + 2, offset + 6));
    await expectActiveField(page, 'len');
    await field(page, 'contents').click();
    await expect.poll(() => highlighted(page)).toEqual(range(offset + 6, offset + 6 + len));
    await expectActiveField(page, 'contents');

    // Bytes → field.
    await hexView(page)
      .locator(`span[data-offset="${offset + 1}"]`)
      .click();
    await expectActiveField(page, 'type');
    await expect.poll(() => highlighted(page)).toEqual(range(offset, offset + 2));
    await hexView(page)
      .locator(`span[data-offset="${offset + 4}"]`)
      .click();
    await expectActiveField(page, 'len');
    await hexView(page)
      .locator(`span[data-offset="${offset + 6 + len - 1}"]`)
      .click();
    await expectActiveField(page, 'contents');
    await expect.poll(() => highlighted(page)).toEqual(range(offset + 6, offset + 6 + len));

    // Selecting another record clears the highlight.
    await row(page, i + 1).click();
    await expect(detailHeading(page)).toContainText(`Record ${i + 1} ·`);
    await expect.poll(() => highlighted(page)).toEqual([]);
  });

  test('END: its count field; a NUL-terminated STRING: its NUL field', async ({ page }) => {
    const t = tlvTruth('oob-nul-strings');
    await openTlv(page, t);
    const endIndex = t.records.length - 1;
    expect(t.records[endIndex].type).toBe(TYPE_END);
    const end = t.records[endIndex].offset;
    await (await revealRow(page, endIndex)).click();
    await expect(detailHeading(page)).toContainText(`END (2)`);
    await expect(field(page, 'count')).toContainText(String(t.end_count));
    await field(page, 'count').click();
    await expect.poll(() => highlighted(page)).toEqual(range(end + 6, end + 8));
    await hexView(page)
      .locator(`span[data-offset="${end + 7}"]`)
      .click();
    await expectActiveField(page, 'count');

    const nul = t.records.findIndex(
      (r) => r.type === TYPE_STRING && r.len > 0 && t.bytes[r.offset + TLV_HEADER + r.len - 1] === 0,
    );
    expect(nul).toBeGreaterThanOrEqual(0);
    const r = t.records[nul];
    const last = r.offset + TLV_HEADER + r.len - 1;
    await (await revealRow(page, nul)).click();
    await expect(detailHeading(page)).toContainText(`Record ${nul} ·`);
    await expect(field(page, 'nul')).toBeVisible();
    await field(page, 'nul').click();
    await expect.poll(() => highlighted(page)).toEqual([last]);
    await field(page, 'contents').click();
    await expect.poll(() => highlighted(page)).toEqual(range(r.offset + TLV_HEADER, last));
    await hexView(page).locator(`span[data-offset="${last}"]`).click();
    await expectActiveField(page, 'nul');
    // The table shows the text without the NUL.
    await expect(row(page, nul).locator('.col-preview')).not.toContainText('·');
  });

  test('a text line: its bytes and its newline', async ({ page }) => {
    const file = 'bad-bounds.bin';
    const bytes = kernelBytes(file);
    const lines = textLines(bytes);
    await openPath(page, path.join(KERNEL_DIR, file));
    await expectOpened(page, file, lines.length);
    const i = 1;
    const start = lines.slice(0, i).reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);
    const length = Buffer.byteLength(lines[i]);
    await row(page, i).click();
    // The line's own field: labelled "line" (its data-field is "line" or "contents").
    const lineField = page.locator('tr[data-field="line"], tr[data-field="contents"]');
    await expect(lineField).toHaveCount(1);
    await expect(lineField.locator('td').first()).toHaveText('line');
    const lineId = (await lineField.getAttribute('data-field')) as string;
    await field(page, 'newline').click();
    await expect.poll(() => highlighted(page)).toEqual([start + length]);
    await expectActiveField(page, 'newline');
    await hexView(page).locator(`span[data-offset="${start}"]`).click();
    await expectActiveField(page, lineId);
    await expect.poll(() => highlighted(page)).toEqual(range(start, start + length));
  });
});

test.describe('buffer hex', () => {
  test('colours headers, contents and trailing space; a click selects the record holding the byte', async ({
    page,
  }) => {
    const t = tlvTruth('after-end-junk');
    await openTlv(page, t);
    await tab(page, 'Buffer hex').click();
    await expect(tab(page, 'Buffer hex')).toHaveAttribute('aria-selected', 'true');
    const hex = page.getByTestId('buffer-hex');
    const byte = (offset: number) => hex.locator(`span[data-offset="${offset}"]`);
    await expect(hex.locator('span[data-offset]')).toHaveCount(t.log_size);
    for (const r of t.records) {
      await expect(byte(r.offset)).toHaveClass(/\bfield-header\b/);
      await expect(byte(r.offset + TLV_HEADER - 1)).toHaveClass(/\bfield-header\b/);
      if (r.len > 0) {
        await expect(byte(r.offset + TLV_HEADER)).toHaveClass(/\bfield-contents\b/);
        await expect(byte(r.offset + TLV_HEADER + r.len - 1)).toHaveClass(/\bfield-contents\b/);
      }
    }
    const last = t.records[t.records.length - 1];
    const trailingStart = last.offset + TLV_HEADER + last.len;
    expect(trailingStart).toBeLessThan(t.log_size);
    await expect(byte(trailingStart)).toHaveClass(/\btrailing\b/);
    await expect(byte(t.log_size - 1)).toHaveClass(/\btrailing\b/);

    // Click inside record 1's contents: record 1 is selected.
    const target = t.records[1];
    await byte(target.offset + TLV_HEADER + 2).click();
    await expect(row(page, 1)).toHaveAttribute('aria-selected', 'true');
    expect(page.url()).toContain('rec=1');
    await expect(byte(target.offset)).toHaveClass(/\bselected-record\b/);
    // A header byte selects its record too.
    await byte(t.records[0].offset + 1).click();
    await expect(row(page, 0)).toHaveAttribute('aria-selected', 'true');
    // Trailing space belongs to no record: the selection stays.
    await byte(trailingStart).click();
    await expect(row(page, 0)).toHaveAttribute('aria-selected', 'true');
    await tab(page, 'Record').click();
    await expect(detailHeading(page)).toContainText('Record 0 ·');
  });

  test('a click deep in a large buffer selects that record', async ({ page }) => {
    const t = tlvTruth('ok2-fragments');
    await openTlv(page, t);
    await tab(page, 'Buffer hex').click();
    const hex = page.getByTestId('buffer-hex');
    const k = Math.floor(t.records.length * 0.75);
    const r = t.records[k];
    const offset = r.offset + TLV_HEADER + Math.floor(r.len / 2);
    await hex.evaluate(
      (el, top) => {
        el.scrollTop = top;
      },
      Math.floor(offset / 16) * 18 - 100,
    );
    await hex.locator(`span[data-offset="${offset}"]`).click();
    await expect(row(page, k)).toHaveAttribute('aria-selected', 'true');
    await expect(row(page, k)).toBeInViewport();
  });
});

test.describe('text view', () => {
  async function readLines(page: Page): Promise<string[]> {
    await tab(page, 'Text').click();
    const view = page.getByTestId('text-view');
    const seen = await collectVirtualRows(view, '.text-line', 'data-line', '.line-text');
    return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
  }

  test('fragments join to the same lines as the whole log', async ({ page }) => {
    const whole = tlvTruth('oob-whole');
    const fragments = tlvTruth('oob-fragments');
    const expected = joinedLines(whole).map((l) => l.text);
    // The fixtures agree (ground truth, checked in Node).
    expect(joinedLines(fragments).map((l) => l.text)).toEqual(expected);

    await openTlv(page, fragments);
    expect(await readLines(page)).toEqual(expected);
    // A line made of several records says so.
    const multi = joinedLines(fragments).findIndex((l) => l.records > 1);
    await expect(page.locator(`[data-line="${multi}"] .line-records`)).toHaveText(
      `${joinedLines(fragments)[multi].records} records`,
    );

    await openTlv(page, whole);
    expect(await readLines(page)).toEqual(expected);
  });

  test('clicking a line selects its first record', async ({ page }) => {
    const t = tlvTruth('oob-fragments');
    await openTlv(page, t);
    const lines = joinedLines(t);
    const target = lines.findIndex((l, k) => l.records > 1 && l.firstRecord !== k);
    expect(target).toBeGreaterThan(0);
    await tab(page, 'Text').click();
    await page.locator(`[data-line="${target}"]`).click();
    await expect(row(page, lines[target].firstRecord)).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator(`[data-line="${target}"]`)).toHaveClass(/\bselected\b/);
    expect(page.url()).toContain(`rec=${lines[target].firstRecord}`);
    // Selecting a later fragment of the same line marks the same line.
    await row(page, lines[target].firstRecord + 1).click();
    await expect(page.locator(`[data-line="${target}"]`)).toHaveClass(/\bselected\b/);
  });

  test('a text log shows its lines as they are', async ({ page }) => {
    const file = 'uninit-reg.bin';
    const lines = textLines(kernelBytes(file));
    await openPath(page, path.join(KERNEL_DIR, file));
    await expectOpened(page, file, lines.length);
    expect(await readLines(page)).toEqual(lines);
  });
});
