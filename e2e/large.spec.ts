/**
 * The large samples (45 MB TLV with 14,626 distinct types, 71 MB text, both
 * gzipped): counts from ground truth, and the last record reachable by
 * keyboard. One at a time, so they do not compete for the two cores.
 */
import { expect, fmt, gotoApp, samples, sampleTruth, test } from './helpers.ts';

test.describe.configure({ mode: 'serial' });

for (const pattern of [/15mb/, /71mb/]) {
  const sample = samples().find((s) => pattern.test(s.file));
  test(`large sample ${sample?.file}: every record counted, the last one reachable`, async ({ page }) => {
    expect(sample, 'the large sample is listed in public/samples/index.json').toBeDefined();
    test.setTimeout(180_000);
    const file = sample?.file as string;
    const truth = sampleTruth(file);
    const css = (testid: string) => page.locator(`[data-testid="${testid}"]`);
    const row = (i: number) => page.locator(`[data-testid="message-table"] [data-record-index="${i}"]`);
    await gotoApp(page);
    await css('sample-select').selectOption(file);
    await expect(page.locator('[data-testid="summary"] dd').first()).toHaveText(file, { timeout: 120_000 });
    await expect(css('record-count')).toHaveText(`${fmt(truth.records)} of ${fmt(truth.records)}`, {
      timeout: 30_000,
    });
    await css('message-table').focus();
    await page.keyboard.press('End');
    const last = truth.records - 1;
    const selected = () =>
      page.evaluate(
        () =>
          document
            .querySelector('[data-testid="message-table"] [aria-selected="true"]')
            ?.getAttribute('data-record-index') ?? null,
      );
    const slow = { intervals: [500], timeout: 60_000 };
    await expect.poll(selected, slow).toBe(String(last));
    await expect(row(last)).toBeInViewport();
    await page.keyboard.press('Home');
    await expect.poll(selected, slow).toBe('0');
    await expect(page.locator('[data-testid="message-table"] [aria-selected="true"]')).toHaveCount(1);
  });
}
