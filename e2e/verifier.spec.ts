/** The verifier's complaint, read from the log's last lines, shown and linked to its record. */

import path from 'node:path';
import {
  expect,
  expectOpened,
  gotoApp,
  KERNEL_DIR,
  kernelBytes,
  openPath,
  selectedRows,
  test,
  textLines,
} from './helpers.ts';

test('a refused program’s error is quoted in the summary and selects its line', async ({ page }) => {
  const file = 'null-deref.bin';
  const lines = textLines(kernelBytes(file));
  // The message is the line before the closing "processed … insns" summary.
  const summaryAt = lines.findIndex((l) => l.startsWith('processed '));
  const errorAt = summaryAt - 1;
  await gotoApp(page);
  await openPath(page, path.join(KERNEL_DIR, file));
  await expectOpened(page, file, lines.length);
  const error = page.getByTestId('verifier-error');
  await expect(error).toContainText(lines[errorAt]);
  await error.getByRole('button').click();
  await expect(selectedRows(page)).toHaveAttribute('data-record-index', String(errorAt));
});

test('a program that loads has no error', async ({ page }) => {
  const file = 'uninit-stack-ok.bin';
  await gotoApp(page);
  await openPath(page, path.join(KERNEL_DIR, file));
  await expectOpened(page, file, textLines(kernelBytes(file)).length);
  await expect(page.getByTestId('summary')).toContainText('insns processed');
  await expect(page.getByTestId('verifier-error')).toHaveCount(0);
});
