/** The verifier's complaint, read from the log's last lines, shown and linked to its record. */

import path from 'node:path';
import type { Page } from '@playwright/test';
import { buildShareLink } from '../src/core/shareLink.ts';
import { fragmentOf } from '../src/core/viewState.ts';
import {
  expect,
  expectOpened,
  gotoApp,
  KERNEL_DIR,
  kernelBytes,
  openBytes,
  openPath,
  revealRow,
  row,
  selectedRows,
  table,
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

// ---- The verifier view (issue 9): verdict panel, instructions, state, use-def, source, links. ----

const verdictPanel = (page: Page) => page.getByTestId('verdict');
const paneTab = (page: Page, name: 'State' | 'Instructions' | 'Source') => page.getByRole('tab', { name });
/** Instruction lines of a text log, as the kernel prints them (`12: (85) call …`); the live-regs listing is indented. */
const INSN_LINE = /^(\d+): \([0-9a-f]{2}\)/;
const lineIndex = (lines: string[], start: string) => {
  const at = lines.findIndex((l) => l.startsWith(start));
  expect(at, start).toBeGreaterThanOrEqual(0);
  return at;
};

test('a rejected level-1 log: the verdict, its message, the jump and the failing register', async ({
  page,
}) => {
  const file = 'bad-bounds.bin';
  const lines = textLines(kernelBytes(file));
  await gotoApp(page);
  await openPath(page, path.join(KERNEL_DIR, file));
  await expectOpened(page, file, lines.length);
  await expect(verdictPanel(page)).toHaveAttribute('data-verdict', 'rejected');
  const message = page.getByTestId('verdict-error');
  await expect(message).toContainText('R1 offset is outside of the packet');
  // The message starts at the first line it quotes: Jump to error selects that line's record.
  const firstLine = ((await message.textContent()) ?? '').split('\n')[0];
  const errorAt = lines.indexOf(firstLine);
  expect(errorAt).toBeGreaterThan(lineIndex(lines, '6: (71) r1 = *(u8 *)(r1 +8)'));
  await page.getByTestId('jump-to-error').click();
  await expect(selectedRows(page)).toHaveAttribute('data-record-index', String(errorAt));
  await expect(selectedRows(page)).toBeInViewport();
  await expect(selectedRows(page)).toHaveAttribute('data-kind', 'error');
  // The failing instruction: pc 6 reads through R1, a packet pointer with no checked range past 4.
  await verdictPanel(page).getByRole('button', { name: 'pc 6' }).click();
  await expect(selectedRows(page)).toHaveAttribute('data-pc', '6');
  await paneTab(page, 'State').click();
  await expect(page.getByTestId('state-pane').locator('[data-reg="R1"]')).toContainText('pkt');
  expect(page.url()).toContain('pc=6');
});

test('a level-2 log: visit counts are the times each pc is printed, hottest first', async ({ page }) => {
  const file = 'movs-level2.bin';
  const lines = textLines(kernelBytes(file));
  const visits = new Map<number, number>();
  for (const line of lines) {
    const match = INSN_LINE.exec(line);
    if (match) visits.set(Number(match[1]), (visits.get(Number(match[1])) ?? 0) + 1);
  }
  expect(visits.size).toBeGreaterThan(3);
  await gotoApp(page);
  await openPath(page, path.join(KERNEL_DIR, file));
  await expectOpened(page, file, lines.length);
  await paneTab(page, 'Instructions').click();
  const view = page.getByTestId('insn-view');
  const rows = view.locator('[data-pc][data-visits]');
  await expect(rows.first()).toBeVisible();
  const read = () =>
    rows.evaluateAll((els) =>
      els.map((el) => [Number(el.getAttribute('data-pc')), Number(el.getAttribute('data-visits'))] as const),
    );
  for (const [pc, count] of await read()) expect(count, `pc ${pc}`).toBe(visits.get(pc));
  // The heat map order: by visits, descending, the most visited pc first.
  await view.locator('[data-sort="visits"]').first().click();
  await expect(view).toHaveAttribute('data-sort', 'visits');
  await expect.poll(async () => (await read())[0]?.[1]).toBe(Math.max(...visits.values()));
  const shown = (await read()).map(([, count]) => count);
  expect(shown).toEqual([...shown].sort((a, b) => b - a));
});

test('use-def: a stack slot written through r10 and read after a helper call', async ({ page }) => {
  const file = 'usedef-level2.bin';
  const lines = textLines(kernelBytes(file));
  // Checked by hand: pc 4 reads fp-8 (r10 -4); pc 1 wrote it from r1, which pc 0 loaded;
  // the call at pc 2 in between writes only r0-r5.
  const read = lineIndex(lines, '4: (61) r8 = *(u32 *)(r10 -4)');
  const store = lineIndex(lines, '1: (63) *(u32 *)(r10 -4) = r1');
  const call = lineIndex(lines, '2: (85) call bpf_ktime_get_ns#5');
  const load = lineIndex(lines, '0: (61) r1 = *(u32 *)(r1 +12)');
  await gotoApp(page);
  await openPath(page, path.join(KERNEL_DIR, file));
  await expectOpened(page, file, lines.length);
  await revealRow(page, read);
  await row(page, read).locator('[data-operand="fp-8"]').first().click();
  await expect(row(page, store)).toHaveAttribute('data-def', '0');
  await expect(row(page, load)).toHaveAttribute('data-def', '1');
  await expect(row(page, call)).not.toHaveAttribute('data-def', /.*/);
  await page.keyboard.press('Escape');
  await expect(table(page).locator('[data-def]')).toHaveCount(0);
});

test('the source pane lists the lines the log names, and a line selects its first instruction', async ({
  page,
}) => {
  const file = 'bad-bounds.bin';
  const lines = textLines(kernelBytes(file));
  const named = [...new Set(lines.flatMap((l) => /@ (\S+:\d+)$/.exec(l)?.[1] ?? []))];
  expect(named.length).toBeGreaterThan(3);
  await gotoApp(page);
  await openPath(page, path.join(KERNEL_DIR, file));
  await expectOpened(page, file, lines.length);
  await paneTab(page, 'Source').click();
  const pane = page.getByTestId('source-pane');
  for (const key of named) await expect(pane.locator(`[data-source-line="${key}"]`)).toHaveCount(1);
  // progs.bpf.c:41 is pc 6's line: the click selects pc 6's visit, and that line is marked.
  await pane.locator('[data-source-line="progs.bpf.c:41"]').click();
  await expect(selectedRows(page)).toHaveAttribute(
    'data-record-index',
    String(lineIndex(lines, '6: (71) r1 = *(u8 *)(r1 +8)')),
  );
  await expect(pane.locator('[data-source-line="progs.bpf.c:41"]')).toHaveAttribute('aria-current', 'true');
});

test('a libbpf report with stats lines: the panel names the error', async ({ page }) => {
  const file = path.join(KERNEL_DIR, '../verifier/bad-bounds-libbpf-l6.txt');
  await gotoApp(page);
  await openPath(page, file);
  await expect(verdictPanel(page)).toHaveAttribute('data-verdict', 'rejected');
  await expect(page.getByTestId('verdict-error')).toContainText('R1 offset is outside of the packet');
  await expect(verdictPanel(page)).toContainText('xdp_bad_bounds');
  await expect(page.getByTestId('verifier-stats')).toBeVisible();
});

test('a Go program’s cilium/ebpf error (%+v): the panel names the error, and Jump to error selects its line', async ({
  page,
}) => {
  const file = path.join(KERNEL_DIR, '../verifier/cilium/cil_null.L2.txt');
  await gotoApp(page);
  await openPath(page, file);
  await expect(verdictPanel(page)).toHaveAttribute('data-verdict', 'rejected');
  await expect(page.getByTestId('verdict-error')).toContainText("R0 invalid mem access 'map_value_or_null'");
  await expect(verdictPanel(page)).toContainText('xdp_count_proto');
  await expect(page.getByTestId('truncation-banner')).toHaveCount(0);
  await page.getByTestId('jump-to-error').click();
  const lines = (await import('node:fs')).readFileSync(file, 'utf8').split('\n');
  await expect(selectedRows(page)).toHaveAttribute(
    'data-record-index',
    String(lines.indexOf("\tR0 invalid mem access 'map_value_or_null'")),
  );
});

test('bcc’s output: the panel names the program from the traceback, with no truncation banner', async ({
  page,
}) => {
  const file = path.join(KERNEL_DIR, '../verifier/wrapped/bcc_null.L2.txt');
  await gotoApp(page);
  await openPath(page, file);
  await expect(verdictPanel(page)).toHaveAttribute('data-verdict', 'rejected');
  await expect(page.getByTestId('verdict-error')).toContainText("R0 invalid mem access 'map_value_or_null'");
  await expect(verdictPanel(page)).toContainText('xdp_null');
  await expect(page.getByTestId('verdict-hint')).toHaveAttribute('data-hint', 'null-check');
  await expect(page.getByTestId('verdict-hint')).toContainText('R0 may be NULL where it is used');
  await expect(page.getByTestId('truncation-banner')).toHaveCount(0);
  await page.getByTestId('jump-to-error').click();
  const lines = (await import('node:fs')).readFileSync(file, 'utf8').split('\n');
  await expect(selectedRows(page)).toHaveAttribute(
    'data-record-index',
    String(lines.indexOf("R0 invalid mem access 'map_value_or_null'")),
  );
});

test('two bare logs pasted one after the other: a picker of log 1 and log 2', async ({ page }) => {
  const fs = await import('node:fs');
  const fresh = (name: string) =>
    fs.readFileSync(path.join(KERNEL_DIR, `../verifier/fresh/logs/${name}`), 'latin1');
  const text = fresh('ok_simple.L2.log') + fresh('map_oob.L1.log');
  await gotoApp(page);
  await openBytes(page, 'two.txt', Buffer.from(text, 'latin1'));
  // The first rejected log is shown first.
  await expect(verdictPanel(page)).toHaveAttribute('data-verdict', 'rejected');
  await expect(page.getByTestId('verdict-error')).toContainText('invalid access to map value');
  const picker = page.getByTestId('program-picker');
  await expect(picker.locator('option')).toHaveText(['log 1 · accepted', 'log 2 · rejected']);
  await picker.selectOption({ label: 'log 1 · accepted' });
  await expect(verdictPanel(page)).toHaveAttribute('data-verdict', 'accepted');
});

test('a veristat file with two programs: the picker switches verdicts', async ({ page }) => {
  const ok = kernelBytes('ok-level2.bin.gz').toString('latin1').replace(/\0.*$/s, '');
  const bad = kernelBytes('bad-bounds.bin').toString('latin1').replace(/\0.*$/s, '');
  const text =
    `PROCESSING progs.bpf.o/xdp_ok, DURATION US: 1234, VERDICT: success, VERIFIER LOG:\n${ok}\n` +
    `PROCESSING progs.bpf.o/xdp_bad_bounds, DURATION US: 210, VERDICT: failure, VERIFIER LOG:\n${bad}\n` +
    'Done. Processed 1 files, 0 programs. Skipped 2 files, 0 programs.\n';
  await gotoApp(page);
  await openBytes(page, 'veristat.txt', Buffer.from(text, 'latin1'));
  // The first rejected program is shown first.
  await expect(verdictPanel(page)).toHaveAttribute('data-verdict', 'rejected');
  const picker = page.getByTestId('program-picker');
  await expect(picker.locator('option')).toHaveCount(2);
  await picker.selectOption({ label: 'progs.bpf.o/xdp_ok · accepted' });
  await expect(verdictPanel(page)).toHaveAttribute('data-verdict', 'accepted');
  await expect(page.getByTestId('verdict-error')).toHaveCount(0);
  expect(page.url()).toContain('program=0');
  await picker.selectOption({ index: 1 });
  await expect(verdictPanel(page)).toHaveAttribute('data-verdict', 'rejected');
});

test('a log cut in fixed mode: the panel says the verdict was lost', async ({ page }) => {
  const file = 'uninit-fixed-400.bin';
  await gotoApp(page);
  await openPath(page, path.join(KERNEL_DIR, file));
  await expect(verdictPanel(page)).toHaveAttribute('data-verdict', 'unknown');
  await expect(verdictPanel(page)).toContainText('was lost');
});

test('a deep link with pc= opens a fresh page on that instruction', async ({ browser }) => {
  const bytes = kernelBytes('bad-bounds.bin');
  const { link } = await buildShareLink(new Uint8Array(bytes), { view: { pc: 5 }, base: 'http://x.test/' });
  const context = await browser.newContext();
  const page = await context.newPage();
  await gotoApp(page, `#${fragmentOf(link)}`);
  const lines = textLines(bytes);
  await expect(selectedRows(page)).toHaveAttribute(
    'data-record-index',
    String(lineIndex(lines, '5: (2d) if r3 > r2 goto pc+4')),
  );
  await expect(selectedRows(page)).toHaveAttribute('data-pc', '5');
  await page.getByRole('tab', { name: 'Instructions' }).click();
  await expect(page.getByTestId('insn-view').locator('[data-pc="5"][aria-selected="true"]')).toBeVisible();
  await context.close();
});
