/**
 * Past 4,096 rows the lists hand react-virtual blocks of rows and draw the
 * visible rows of those blocks themselves: these tests scroll in steps
 * smaller than a block, and across blocks, and check that every row in view
 * is drawn where it belongs.
 */
import type { Locator } from '@playwright/test';
import { encodeTlv } from '../src/core/index.ts';
import { expect, expectOpened, gotoApp, openBytes, tab, test } from './helpers.ts';

// 200,000 records: table rows in blocks of 49, and ~470,000 hex rows, past the 8,000,000 px
// where the scroll range starts to be scaled.
const RECORDS = 200_000;

/** A TLV log of RECORDS lines "line N: …", of varied lengths. */
function bigLog(): Buffer {
  const messages = Array.from({ length: RECORDS }, (_, i) => ({
    type: 1,
    contents: new TextEncoder().encode(`line ${i}: ${'r'.repeat(i % 37)}\n`),
  }));
  return Buffer.from(encodeTlv(messages).bytes);
}

/** Scroll offsets: small steps through a few blocks, then jumps far apart. */
const offsets = (rowHeight: number, rows: number) => [
  ...Array.from({ length: 12 }, (_, k) => 5 * rowHeight + k * 53),
  Math.floor(rows * 0.3) * rowHeight + 11,
  Math.floor(rows * 0.77) * rowHeight,
  (rows - 1) * rowHeight,
];

/** A row's slot: the element VirtualList positions, a full row high. */
const slot = (row: Locator) => row.locator('xpath=ancestor::div[contains(@style, "translateY")][1]');

/** A row's top, relative to the top of the list's scrolled content. */
async function rowTop(list: Locator, row: Locator): Promise<number> {
  const [rowBox, listBox, scrollTop] = await Promise.all([
    row.boundingBox(),
    list.boundingBox(),
    list.evaluate((el) => el.scrollTop),
  ]);
  return Math.round((rowBox?.y ?? Number.NaN) - (listBox?.y ?? 0) + scrollTop);
}

/**
 * Sets scrollTop and checks that the first and last rows in view, and one
 * between, are drawn where they belong. Past MAX_SCROLL_PX the list scales:
 * a real scroll offset y shows the rows at virtual offset y * scale.
 */
async function expectRowsInView(
  list: Locator,
  rows: number,
  rowHeight: number,
  scrollTop: number,
  rowAt: (i: number) => Locator,
): Promise<void> {
  await list.evaluate((el) => {
    el.scrollTop = 0;
  });
  await expect(rowAt(0)).toBeInViewport();
  const top0 = await rowTop(list, rowAt(0));
  const { top, height, scrollHeight } = await list.evaluate((el, y) => {
    el.scrollTop = y;
    return { top: el.scrollTop, height: el.clientHeight, scrollHeight: el.scrollHeight };
  }, scrollTop);
  const full = rows * rowHeight;
  const content = scrollHeight - top0;
  const scale = full > content ? (full - height) / (content - height) : 1;
  const virtualTop = top * scale;
  // A pixel in from each edge: a row that only touches the edge is not in view.
  const first = Math.max(0, Math.floor((virtualTop + 1 - top0) / rowHeight));
  const last = Math.min(rows - 1, Math.floor((virtualTop + height - 1 - top0) / rowHeight));
  for (const i of [first, Math.floor((first + last) / 2), last]) {
    await expect(rowAt(i), `row ${i} at scrollTop ${top}`).toBeInViewport();
    const expected = top0 + top + i * rowHeight - virtualTop;
    expect(Math.abs((await rowTop(list, rowAt(i))) - expected), `row ${i}'s position`).toBeLessThanOrEqual(1);
  }
}

/**
 * Scrolls a frame at a time, as a wheel does (react-virtual stays "scrolling"
 * throughout), and after each step lists any part of the viewport that no
 * row slot covers. Slots are the list's positioned children, drawn or loading.
 */
function gapsWhileScrolling(list: Locator, steps: number, stepPx: number): Promise<string[]> {
  return list.evaluate(
    async (el, [steps, stepPx]) => {
      const gaps: string[] = [];
      const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      for (let k = 0; k < steps; k++) {
        el.scrollTop += stepPx;
        await frame();
        const view = el.getBoundingClientRect();
        const slots = [...(el.firstElementChild?.children ?? [])]
          .map((s) => s.getBoundingClientRect())
          .sort((a, b) => a.top - b.top);
        let covered = view.top;
        for (const r of slots) if (r.top <= covered + 0.5 && r.bottom > covered) covered = r.bottom;
        if (covered < view.bottom - 0.5)
          gaps.push(
            `scrollTop ${el.scrollTop}: nothing drawn from ${Math.round(covered - view.top)} px down`,
          );
      }
      return gaps;
    },
    [steps, stepPx] as const,
  );
}

test('the message table draws the rows in view at every scroll offset', async ({ page }) => {
  await gotoApp(page);
  await openBytes(page, 'two-hundred-thousand.bin', bigLog());
  await expectOpened(page, 'two-hundred-thousand.bin', RECORDS + 1);
  const list = page.getByTestId('message-table');
  const rowHeight = 22; // MessageTable's ROW_HEIGHT
  for (const y of offsets(rowHeight, RECORDS + 1))
    await expectRowsInView(list, RECORDS + 1, rowHeight, y, (i) =>
      slot(list.locator(`[data-record-index="${i}"]`)),
    );
  await list.evaluate((el) => {
    el.scrollTop = 0;
  });
  expect(await gapsWhileScrolling(list, 60, 41)).toEqual([]);
});

test('the buffer hex view draws the rows in view at every scroll offset', async ({ page }) => {
  await gotoApp(page);
  const bytes = bigLog();
  await openBytes(page, 'two-hundred-thousand.bin', bytes);
  await expectOpened(page, 'two-hundred-thousand.bin', RECORDS + 1);
  await tab(page, 'Buffer hex').click();
  const list = page.getByTestId('buffer-hex');
  const rows = Math.ceil(bytes.length / 16);
  const rowAt = (i: number) => slot(list.locator(`span[data-offset="${i * 16}"]`));
  const rowHeight = 18; // BufferHex's HEX_ROW_HEIGHT
  for (const y of offsets(rowHeight, rows)) await expectRowsInView(list, rows, rowHeight, y, rowAt);
  await list.evaluate((el) => {
    el.scrollTop = 0;
  });
  expect(await gapsWhileScrolling(list, 60, 41)).toEqual([]);
});
