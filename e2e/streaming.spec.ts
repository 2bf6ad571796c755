/**
 * Issue 11: opens are streamed. A `?src=` server here sends the first part
 * of a log, then holds the rest until the test releases it, so what the page
 * shows before the last byte is asserted, not raced.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test as base } from '@playwright/test';
import {
  banner,
  expect,
  expectOpened,
  fmt,
  kernelBytes,
  openBytes,
  recordCount,
  row,
  summaryBox,
  table,
  textLines,
  tlvTruth,
} from './helpers.ts';

/** A response that sends `head`, then `tail` once released. */
interface Held {
  head: Buffer;
  tail: Buffer;
  release: () => void;
  released: Promise<void>;
}

function held(bytes: Buffer, split: number): Held {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { head: bytes.subarray(0, split), tail: bytes.subarray(split), release, released };
}

const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await use(errors);
      expect(errors).toEqual([]);
    },
    { auto: true },
  ],
});

const ROTATED = 'loop-level2-rotated.bin';
const SMALL = 'bad-bounds.bin';

test.describe('streamed opens', () => {
  let server: http.Server;
  let origin = '';
  const served = new Map<string, Held>();

  test.beforeAll(async () => {
    server = http.createServer((req, res) => {
      const body = served.get(req.url ?? '');
      if (!body) {
        res.writeHead(404, { 'access-control-allow-origin': '*' }).end();
        return;
      }
      res.writeHead(200, {
        'access-control-allow-origin': '*',
        'content-length': String(body.head.length + body.tail.length),
      });
      res.write(body.head);
      void body.released.then(() => res.end(body.tail));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  test.afterAll(() => {
    for (const body of served.values()) body.release();
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('a slow text log shows its first rows and a progress bar before its last byte, then the banner', async ({
    page,
  }) => {
    const bytes = kernelBytes(ROTATED);
    const lines = textLines(bytes);
    // The first half, cut after a newline: the lines before the cut are complete.
    const split = bytes.indexOf(0x0a, bytes.length >> 1) + 1;
    const before = textLines(bytes.subarray(0, split)).length;
    const body = held(bytes, split);
    served.set('/rotated.bin', body);
    await page.goto(`/?src=${encodeURIComponent(`${origin}/rotated.bin`)}`);

    await expect(recordCount(page)).toHaveText(`${fmt(before)} of ${fmt(before)}`);
    await expect(row(page, 0)).toContainText(lines[0].slice(0, 40));
    await expect(page.getByTestId('download-progress')).toBeVisible();
    await expect(page.getByTestId('stream-progress')).toContainText(
      `${fmt(split)} of ${fmt(bytes.length)} bytes read`,
    );
    await expect(page.getByTestId('truncated')).toHaveText('waiting for the whole log');
    await expect(page.getByTestId('loading-note')).toBeVisible();
    // The truncation verdict needs the tail and the NUL: no banner yet.
    await expect(banner(page)).toHaveCount(0);
    // A link from part of the log would carry the wrong bytes: Share waits for the whole log.
    await expect(page.getByTestId('share-button')).toBeDisabled();
    // End shows the last row read so far...
    await table(page).focus();
    await page.keyboard.press('End');
    await expect(row(page, before - 1)).toHaveAttribute('aria-selected', 'true');

    body.release();
    await expectOpened(page, 'rotated.bin', lines.length);
    // ...and then follows the rows that arrive.
    await expect(row(page, lines.length - 1)).toHaveAttribute('aria-selected', 'true');
    await expect(banner(page)).toBeVisible();
    await expect(page.getByTestId('truncated')).toHaveText('yes');
    await expect(page.getByTestId('stream-progress')).toHaveCount(0);
    await expect(page.getByTestId('share-button')).toBeEnabled();
  });

  test('a TLV buffer whose END arrives last gets its END count after the load', async ({ page }) => {
    const t = tlvTruth('oob-truncated-600');
    const endOffset = t.end_offset as number;
    const body = held(t.bytes, endOffset);
    served.set('/oob.bin', body);
    await page.goto(`/?src=${encodeURIComponent(`${origin}/oob.bin`)}`);

    const before = t.records.length - 1;
    await expect(recordCount(page)).toHaveText(`${fmt(before)} of ${fmt(before)}`);
    await expect(page.getByTestId('format')).toHaveText('TLV, little-endian');
    await expect(summaryBox(page)).not.toContainText('dropped');
    await expect(banner(page)).toHaveCount(0);

    body.release();
    await expectOpened(page, 'oob.bin', t.records.length);
    await expect(summaryBox(page)).toContainText(`${t.end_count} dropped`);
    await expect(row(page, t.records.length - 1)).toContainText(`END · ${t.end_count} dropped`);
    await expect(banner(page)).toBeVisible();
  });

  for (const how of ['the Cancel button', 'Esc'] as const) {
    test(`cancelling a streamed open with ${how} keeps the log shown before`, async ({ page }) => {
      const small = kernelBytes(SMALL);
      const smallLines = textLines(small);
      await page.goto('/?test-hooks');
      await openBytes(page, SMALL, small);
      await expectOpened(page, SMALL, smallLines.length);

      const bytes = kernelBytes(ROTATED);
      const split = bytes.indexOf(0x0a, bytes.length >> 1) + 1;
      const before = textLines(bytes.subarray(0, split)).length;
      const key = how === 'Esc' ? '/cancel-esc.bin' : '/cancel-button.bin';
      served.set(key, held(bytes, split));
      await page.evaluate(
        (url) =>
          void (
            window as unknown as { bpfLogTestHooks: { openFromUrl(u: string): Promise<void> } }
          ).bpfLogTestHooks.openFromUrl(url),
        `${origin}${key}`,
      );
      // The new log is shown from its first rows...
      await expect(summaryBox(page).locator('dd').first()).toHaveText(key.slice(1));
      await expect(recordCount(page)).toHaveText(`${fmt(before)} of ${fmt(before)}`);
      await expect(page.getByTestId('cancel-job')).toBeVisible();
      // ...and a cancel brings back the one before, rows and all.
      if (how === 'Esc') await page.keyboard.press('Escape');
      else await page.getByTestId('cancel-job').click();
      await expectOpened(page, SMALL, smallLines.length);
      await expect(row(page, 0)).toContainText(smallLines[0].slice(0, 40));
      await expect(page.getByTestId('error')).toHaveCount(0);
    });
  }
});
