/** The truncation banner for each kind of log, derived from the fixtures' ground truth and the kernel manifest. */
import path from 'node:path';
import type { Page } from '@playwright/test';
import {
  BPF_LOG_FIXED,
  banner,
  ENOSPC,
  expect,
  expectOpened,
  fmt,
  gotoApp,
  hex8,
  KERNEL_DIR,
  kernelBytes,
  kernelManifest,
  openPath,
  openTlv,
  row,
  TLV_HEADER,
  tab,
  test,
  textLines,
  tlvFixtureNames,
  tlvTruth,
} from './helpers.ts';

test.beforeEach(async ({ page }) => {
  await gotoApp(page);
});

const SATURATED = 0xffff;
const NO_END = 'No END record: the buffer was cut short or not written in TLV mode';
const ROTATING = 'Truncated: the kernel kept the end of the log (rotating mode); its beginning is lost.';
const FIXED = 'Truncated: the kernel kept the beginning of the log (fixed mode); its end is lost.';
const REWOUND = 'Truncated: the log overflowed and was rewound';

/** What the banner must say for a TLV fixture, from its ground truth alone. */
async function checkTlvBanner(page: Page, name: string) {
  const t = tlvTruth(name);
  await openTlv(page, t);
  const endRecord = t.records.find((r) => r.type === 2);
  const wellFormedEnd = endRecord !== undefined && endRecord.len === 2;
  const dropped = t.end_count ?? 0;
  const clean = t.end_offset !== null && wellFormedEnd && dropped === 0 && t.diagnostic === null;

  if (clean) {
    await expect.soft(banner(page), `${name}: a clean log has no banner`).toHaveCount(0);
    await expect.soft(page.getByTestId('truncated')).toHaveText('no');
    return;
  }
  await expect.soft(banner(page), `${name}: banner`).toBeVisible();
  await expect.soft(banner(page)).toHaveAttribute('role', 'alert');
  if (t.end_offset === null) {
    if (t.log_size > 0) {
      await expect.soft(banner(page)).toContainText(NO_END);
      await expect.soft(page.getByTestId('truncated')).toHaveText('yes');
    }
  } else if (dropped === SATURATED) {
    await expect.soft(banner(page)).toContainText(`At least ${fmt(SATURATED)} messages were dropped`);
    await expect.soft(page.getByTestId('truncated')).toHaveText('yes');
  } else if (dropped > 0) {
    const what = dropped === 1 ? 'message was' : 'messages were';
    const sentence = `${fmt(dropped)} ${what} dropped: the buffer (${fmt(t.log_size)} bytes) was too small`;
    await expect.soft(banner(page)).toContainText(wellFormedEnd ? `${sentence}.` : sentence);
    await expect.soft(page.getByTestId('truncated')).toHaveText('yes');
  }
  if (t.diagnostic !== null) {
    await expect.soft(banner(page).locator('li code')).toContainText([t.diagnostic]);
  }
}

test('TLV fixtures: the banner says what the ground truth says (clean, dropped, saturated, no END, malformed)', async ({
  page,
}) => {
  for (const name of tlvFixtureNames()) await test.step(name, () => checkTlvBanner(page, name));
});

test('the 600-byte log: "22 messages were dropped", worded from its END', async ({ page }) => {
  const t = tlvTruth('oob-truncated-600');
  await openTlv(page, t);
  await expect(banner(page).locator('strong')).toHaveText(
    `${t.end_count} messages were dropped: the buffer (${t.log_size} bytes) was too small.`,
  );
  await expect(banner(page).locator('li')).toHaveCount(0);
});

test('kernel text logs: a banner exactly when the kernel said ENOSPC, worded by the log mode', async ({
  page,
}) => {
  for (const entry of kernelManifest()) {
    if (/71mb|15mb/.test(entry.file)) continue; // large: covered in large.spec.ts
    await test.step(entry.file, async () => {
      const lines = textLines(kernelBytes(entry.file));
      await openPath(page, path.join(KERNEL_DIR, entry.file));
      await expectOpened(page, entry.file, lines.length);
      await expect.soft(page.getByTestId('format')).toHaveText('text');
      if (entry.result.errno !== ENOSPC) {
        await expect.soft(banner(page), `${entry.file} is complete`).toHaveCount(0);
        await expect.soft(page.getByTestId('truncated')).toHaveText('no');
        return;
      }
      await expect.soft(banner(page), `${entry.file} is truncated`).toBeVisible();
      await expect.soft(page.getByTestId('truncated')).toHaveText('yes');
      // Fixed mode keeps the start, rotating keeps the end; a rewound log cannot tell which.
      const fixed = (entry.log_level & BPF_LOG_FIXED) !== 0;
      const text = (await banner(page).locator('strong').textContent()) ?? '';
      expect
        .soft(
          [fixed ? FIXED : ROTATING, REWOUND].some((m) => text.startsWith(m)),
          `${entry.file}: ${text}`,
        )
        .toBe(true);
    });
  }
});

test('text logs: rotating, fixed and rewound each get their own words', async ({ page }) => {
  const cases: [string, string][] = [
    ['loop-level2-rotated.bin', ROTATING],
    ['uninit-fixed-400.bin', FIXED],
    ['movs-rotated-300.bin', REWOUND],
  ];
  for (const [file, message] of cases) {
    await test.step(file, async () => {
      const entry = kernelManifest().find((e) => e.file === file);
      expect(entry?.result.errno).toBe(ENOSPC);
      await openPath(page, path.join(KERNEL_DIR, file));
      await expectOpened(page, file, textLines(kernelBytes(file)).length);
      await expect(banner(page).locator('strong')).toContainText(message);
    });
  }
});

test.describe('diagnostic links', () => {
  test('an offset outside every record jumps to the buffer hex at that byte', async ({ page }) => {
    const t = tlvTruth('bad-length-overflow');
    await openTlv(page, t);
    const last = t.records[t.records.length - 1];
    const stop = last.offset + TLV_HEADER + last.len;
    const item = banner(page).locator('li').filter({ hasText: 'length-overflow' });
    await expect(item.getByRole('button')).toHaveText(hex8(stop));
    await item.getByRole('button').click();
    await expect(tab(page, 'Buffer hex')).toHaveAttribute('aria-selected', 'true');
    const byte = page.getByTestId('buffer-hex').locator(`span[data-offset="${stop}"]`);
    await expect(byte).toBeInViewport();
    await expect(byte).toHaveClass(/\bundecoded\b/);
  });

  test('an offset inside a record selects that record (malformed END)', async ({ page }) => {
    const t = tlvTruth('bad-end-length');
    expect(t.diagnostic).toBe('malformed-end');
    await openTlv(page, t);
    const endIndex = t.records.findIndex((r) => r.type === 2);
    const item = banner(page).locator('li').filter({ hasText: 'malformed-end' });
    await expect(item.getByRole('button')).toHaveText(hex8(t.records[endIndex].offset));
    await item.getByRole('button').click();
    await expect(row(page, endIndex)).toHaveAttribute('aria-selected', 'true');
    await expect(row(page, endIndex)).toBeInViewport();
    expect(page.url()).toContain(`rec=${endIndex}`);
  });

  test('a missing END in a large buffer: the link scrolls to the zero-filled gap', async ({ page }) => {
    const t = tlvTruth('bad-zero-gap');
    await openTlv(page, t);
    const last = t.records[t.records.length - 1];
    const gap = last.offset + TLV_HEADER + last.len;
    const item = banner(page).locator('li').filter({ hasText: 'missing-end' });
    await expect(item.getByRole('button')).toHaveText(hex8(gap));
    await item.getByRole('button').click();
    await expect(tab(page, 'Buffer hex')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('buffer-hex').locator(`span[data-offset="${gap}"]`)).toBeInViewport();
  });
});
