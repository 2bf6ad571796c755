/**
 * Shared helpers for the end-to-end tests: ground truth read from the core's
 * fixtures (never hard-coded), page actions (open a file, drop, paste) and a
 * guard that fails any test whose page throws, logs a console error or makes
 * a request to another origin.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { test as base, expect, type Locator, type Page } from '@playwright/test';

export { expect };

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = path.join(ROOT, 'src/core/__fixtures__');
export const TLV_DIR = path.join(FIXTURES, 'tlv');
export const KERNEL_DIR = path.join(FIXTURES, 'kernel');
export const SAMPLES_DIR = path.join(ROOT, 'public/samples');

/** en-US thousands separators, as the app prints counts. */
export const fmt = (value: number) => value.toLocaleString('en-US');
export const hex8 = (offset: number) => `0x${offset.toString(16).padStart(8, '0')}`;

// ---------------------------------------------------------------- ground truth

export const TLV_HEADER = 6;
export const TYPE_STRING = 1;
export const TYPE_END = 2;

export interface TlvRecord {
  type: number;
  offset: number;
  len: number;
}

export interface TlvTruth {
  name: string;
  file: string;
  bytes: Buffer;
  big_endian: boolean;
  log_size: number;
  records: TlvRecord[];
  end_offset: number | null;
  end_count: number | null;
  diagnostic: string | null;
}

const maybeGunzip = (file: string): Buffer => {
  const raw = fs.readFileSync(file);
  return file.endsWith('.gz') ? zlib.gunzipSync(raw) : raw;
};

/** `name` without extension: reads tlv/<name>.bin(.gz) and its ground truth tlv/<name>.json(.gz). */
export function tlvTruth(name: string): TlvTruth {
  const gz = fs.existsSync(path.join(TLV_DIR, `${name}.bin.gz`));
  const file = path.join(TLV_DIR, gz ? `${name}.bin.gz` : `${name}.bin`);
  const json = JSON.parse(
    maybeGunzip(path.join(TLV_DIR, gz ? `${name}.json.gz` : `${name}.json`)).toString('utf8'),
  );
  return {
    name,
    file,
    bytes: maybeGunzip(file),
    big_endian: json.big_endian,
    log_size: json.log_size,
    records: json.records,
    end_offset: json.end_offset ?? null,
    end_count: json.end_count ?? null,
    diagnostic: json.diagnostic ?? null,
  };
}

/** Every TLV fixture that is not gzipped (the gzipped one is large and has its own test). */
export function tlvFixtureNames(): string[] {
  return fs
    .readdirSync(TLV_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function contentsOf(t: TlvTruth, i: number): Buffer {
  const r = t.records[i];
  return t.bytes.subarray(r.offset + TLV_HEADER, r.offset + TLV_HEADER + r.len);
}

/** A STRING record's text: its contents without one trailing NUL; null for other types. */
export function recordText(t: TlvTruth, i: number): string | null {
  if (t.records[i].type !== TYPE_STRING) return null;
  let c = contentsOf(t, i);
  if (c.length > 0 && c[c.length - 1] === 0) c = c.subarray(0, -1);
  return c.toString('utf8');
}

/** Lines of the TLV log: STRING texts joined, split after each newline; a line remembers its first record. */
export function joinedLines(t: TlvTruth): { text: string; firstRecord: number; records: number }[] {
  const lines: { text: string; firstRecord: number; records: number }[] = [];
  let open: { text: string; firstRecord: number; records: number } | null = null;
  t.records.forEach((r, i) => {
    if (r.type === TYPE_END) {
      if (open) lines.push(open);
      open = null;
      return;
    }
    if (r.type !== TYPE_STRING) return;
    const text = recordText(t, i) ?? '';
    open ??= { text: '', firstRecord: i, records: 0 };
    open.text += text;
    open.records++;
    if (text.endsWith('\n')) {
      lines.push(open);
      open = null;
    }
  });
  if (open) lines.push(open);
  return lines.map((l) => ({ ...l, text: l.text.endsWith('\n') ? l.text.slice(0, -1) : l.text }));
}

export interface KernelEntry {
  file: string;
  log_level: number;
  log_size: number;
  prefill: number;
  result: { errno: number; error: string; log_true_size?: number };
}

export function kernelManifest(): KernelEntry[] {
  return JSON.parse(fs.readFileSync(path.join(KERNEL_DIR, 'manifest.json'), 'utf8'));
}

export const ENOSPC = 28;
export const BPF_LOG_FIXED = 8;

export function kernelBytes(file: string): Buffer {
  return maybeGunzip(path.join(KERNEL_DIR, file));
}

/** A text log's lines: the text runs to the first NUL; a final newline opens no new line. */
export function textLines(bytes: Buffer): string[] {
  const nul = bytes.indexOf(0);
  const text = bytes.subarray(0, nul < 0 ? bytes.length : nul).toString('utf8');
  if (text === '') return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

/** Where a sample of public/samples/index.json comes from, with its record count. */
export function sampleTruth(file: string): { kind: 'tlv' | 'text'; records: number } {
  const stem = file.replace(/\.bin(\.gz)?$/, '');
  if (
    fs.existsSync(path.join(TLV_DIR, `${stem}.json`)) ||
    fs.existsSync(path.join(TLV_DIR, `${stem}.json.gz`))
  )
    return { kind: 'tlv', records: tlvTruth(stem).records.length };
  return { kind: 'text', records: textLines(kernelBytes(file)).length };
}

export function samples(): { file: string; title: string }[] {
  return JSON.parse(fs.readFileSync(path.join(SAMPLES_DIR, 'index.json'), 'utf8'));
}

/** Deterministic pseudo-random bytes (xorshift32). */
export function pseudoRandomBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

// ---------------------------------------------------------------- the guard

export interface Guard {
  /** Watches another page (e.g. one in a context the test made itself). */
  watch(page: Page): void;
  /** Tolerates console errors matching this pattern (for a test that provokes one on purpose). */
  allowConsoleError(pattern: RegExp): void;
}

export const test = base.extend<{ guard: Guard }>({
  guard: [
    async ({ page, baseURL }, use) => {
      const origin = new URL(baseURL ?? 'http://127.0.0.1').origin;
      const problems: string[] = [];
      const allowed: RegExp[] = [];
      const watch = (p: Page) => {
        p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
        p.on('console', (m) => {
          if (m.type() !== 'error') return;
          if (allowed.some((re) => re.test(m.text()))) return;
          problems.push(`console.error: ${m.text()}`);
        });
        p.on('crash', () => problems.push('page crashed'));
        const checkRequest = (url: string) => {
          const u = new URL(url);
          if (u.protocol === 'data:' || u.protocol === 'blob:') return;
          if (u.origin !== origin) problems.push(`request to another origin: ${url}`);
        };
        p.on('request', (r) => checkRequest(r.url()));
        p.context().on('request', (r) => checkRequest(r.url()));
        p.on('worker', (w) => checkRequest(w.url()));
      };
      watch(page);
      await use({ watch, allowConsoleError: (re) => allowed.push(re) });
      expect(problems, 'uncaught page errors, console errors or foreign requests').toEqual([]);
    },
    { auto: true },
  ],
});

// ---------------------------------------------------------------- page helpers

export const fileInput = (page: Page) => page.getByLabel('Open a log file');
export const table = (page: Page) => page.getByTestId('message-table');
export const recordCount = (page: Page) => page.getByTestId('record-count');
export const banner = (page: Page) => page.getByTestId('truncation-banner');
export const summaryBox = (page: Page) => page.getByTestId('summary');
export const row = (page: Page, index: number) => table(page).locator(`[data-record-index="${index}"]`);
export const selectedRows = (page: Page) => table(page).locator('[aria-selected="true"]');
export const detailHeading = (page: Page) =>
  page.getByRole('region', { name: 'Record detail' }).locator('h2');
export const tab = (page: Page, name: 'Record' | 'Buffer hex' | 'Text') => page.getByRole('tab', { name });

/**
 * Scrolls the table (unsorted, unfiltered: a row's position is its record
 * number) until record `index` is drawn, and returns its row.
 */
export async function revealRow(page: Page, index: number): Promise<Locator> {
  const first = table(page).locator('[data-record-index]').first();
  await expect(first).toBeAttached();
  const rowHeight = await first.evaluate((el) => el.getBoundingClientRect().height);
  await table(page).evaluate(
    (el, top) => {
      el.scrollTop = top;
    },
    Math.max(0, index * rowHeight - 100),
  );
  const target = row(page, index);
  await expect(target).toBeAttached();
  return target;
}

export async function gotoApp(page: Page, hash = ''): Promise<void> {
  await page.goto(`/${hash}`);
  await expect(page.getByRole('heading', { name: 'BPF Log Inspector' })).toBeVisible();
}

/** Waits until the named log is open and the view shows `shown` of `total` records. */
export async function expectOpened(page: Page, name: string, total: number, shown = total): Promise<void> {
  await expect(summaryBox(page).locator('dd').first()).toHaveText(name);
  await expect(recordCount(page)).toHaveText(`${fmt(shown)} of ${fmt(total)}`);
  await expect(page.locator('.loading-line')).toHaveCount(0);
}

/** Opens a file from disk through the toolbar's file input. */
export async function openPath(page: Page, file: string): Promise<void> {
  await fileInput(page).setInputFiles(file);
}

/** Opens in-memory bytes through the toolbar's file input. */
export async function openBytes(page: Page, name: string, buffer: Buffer): Promise<void> {
  await fileInput(page).setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
}

export async function openTlv(page: Page, t: TlvTruth): Promise<void> {
  await openPath(page, t.file);
  await expectOpened(page, path.basename(t.file), t.records.length);
}

/** A real drop: a DataTransfer holding a File, built in the page, dispatched as dragenter/dragover/drop. */
export async function dropBytes(page: Page, name: string, buffer: Buffer, target?: Locator): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, b64 }) => {
      const binary = atob(b64);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type: 'application/octet-stream' }));
      return dt;
    },
    { name, b64: buffer.toString('base64') },
  );
  const where = target ?? page.locator('body');
  await where.dispatchEvent('dragenter', { dataTransfer });
  await where.dispatchEvent('dragover', { dataTransfer });
  await expect(page.locator('.app.dragging')).toHaveCount(1);
  await where.dispatchEvent('drop', { dataTransfer });
  await dataTransfer.dispose();
}

/** A paste event carrying text, dispatched on the page outside any input. */
export async function pasteText(page: Page, text: string): Promise<boolean> {
  return page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', text);
    const event = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true });
    document.body.dispatchEvent(event);
    return event.defaultPrevented;
  }, text);
}

/** Record numbers of the table's rendered rows, in view order. */
export async function renderedRecordOrder(
  page: Page,
): Promise<{ position: number; index: number; length: number }[]> {
  return table(page)
    .locator('[data-record-index]')
    .evaluateAll((rows) =>
      rows
        .map((r) => ({
          position: Number(r.getAttribute('aria-rowindex')) - 2,
          index: Number(r.getAttribute('data-record-index')),
          length: Number((r.querySelector('.col-length')?.textContent ?? '').replace(/,/g, '')),
        }))
        .sort((a, b) => a.position - b.position),
    );
}

/**
 * Reads every row of a virtualized list whose rows carry their position in
 * `attr` (e.g. the text view's data-line): scrolls it half a screen at a
 * time, waiting each time for the first row in view to be drawn.
 */
export async function collectVirtualRows(
  list: Locator,
  selector: string,
  attr: string,
  textSelector: string,
): Promise<Map<number, string>> {
  const seen = new Map<number, string>();
  await list.evaluate((el) => {
    el.scrollTop = 0;
  });
  await expect(list.locator(`${selector}[${attr}="0"]`)).toBeAttached();
  const rowHeight = await list
    .locator(selector)
    .first()
    .evaluate((el) => el.getBoundingClientRect().height);
  for (let wanted = 0; ; ) {
    const top = await list.evaluate((el, wanted) => {
      el.scrollTop = wanted;
      return el.scrollTop;
    }, wanted);
    await expect(list.locator(`${selector}[${attr}="${Math.floor(top / rowHeight)}"]`)).toBeAttached();
    const batch = await list
      .locator(`${selector}[${attr}]`)
      .evaluateAll(
        (rows, [attr, textSelector]) =>
          rows.map(
            (r) => [Number(r.getAttribute(attr)), r.querySelector(textSelector)?.textContent ?? ''] as const,
          ),
        [attr, textSelector] as const,
      );
    for (const [n, text] of batch) seen.set(n, text);
    if (top < wanted) break; // the list cannot scroll further: the last rows are in
    const height = await list.evaluate((el) => el.clientHeight);
    wanted = top + Math.max(rowHeight, Math.floor(height / 2));
  }
  return seen;
}
