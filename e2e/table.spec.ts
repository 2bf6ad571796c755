/** The message table: type filter, search, selection and keyboard, sorting, unknown types and their names. */
import path from 'node:path';
import {
  contentsOf,
  detailHeading,
  expect,
  fmt,
  gotoApp,
  KERNEL_DIR,
  kernelBytes,
  openPath,
  openTlv,
  recordCount,
  recordText,
  renderedRecordOrder,
  row,
  selectedRows,
  type TlvTruth,
  TYPE_END,
  TYPE_STRING,
  table,
  test,
  textLines,
  tlvTruth,
} from './helpers.ts';

test.beforeEach(async ({ page }) => {
  await gotoApp(page);
});

function typeCounts(t: TlvTruth): [number, number][] {
  const counts = new Map<number, number>();
  for (const r of t.records) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => a[0] - b[0]);
}

const builtin = (type: number) => (type === TYPE_STRING ? 'STRING' : type === TYPE_END ? 'END' : null);
const typeLabel = (type: number, names: Record<number, string> = {}) =>
  `${builtin(type) ?? names[type] ?? 'unknown'} (${type})`;

/** Record numbers whose text matches, as a user reads "search": STRING records only. */
function matching(t: TlvTruth, test: (text: string) => boolean): number[] {
  const out: number[] = [];
  t.records.forEach((_, i) => {
    const text = recordText(t, i);
    if (text !== null && test(text)) out.push(i);
  });
  return out;
}

/** The search box is debounced: wait for the count the query should give. */
async function search(page: import('@playwright/test').Page, query: string) {
  await page.getByTestId('search-input').fill(query);
}

test.describe('type filter', () => {
  test('lists each type with its count, and filters by type', async ({ page }) => {
    const t = tlvTruth('oob-unknown-types');
    await openTlv(page, t);
    const counts = typeCounts(t);
    const filter = page.getByTestId('type-filter');
    const boxes = filter.getByRole('checkbox');
    await expect(boxes).toHaveCount(counts.length);
    await expect(filter.locator('label')).toHaveText(
      counts.map(([type, n]) => `${typeLabel(type)} · ${fmt(n)}`),
    );
    for (let k = 0; k < counts.length; k++) await expect(boxes.nth(k)).toBeChecked();

    const total = t.records.length;
    const strings = counts.find(([type]) => type === TYPE_STRING)?.[1] ?? 0;
    await filter.getByRole('checkbox', { name: `${typeLabel(TYPE_STRING)} · ${fmt(strings)}` }).uncheck();
    await expect(recordCount(page)).toHaveText(`${fmt(total - strings)} of ${fmt(total)}`);
    const expected = t.records.flatMap((r, i) => (r.type === TYPE_STRING ? [] : [i]));
    await expect.poll(async () => (await renderedRecordOrder(page)).map((r) => r.index)).toEqual(expected);
    expect(page.url()).toMatch(/[#&]types=[\d,]+/);

    await filter.getByRole('button', { name: 'None' }).click();
    await expect(recordCount(page)).toHaveText(`0 of ${fmt(total)}`);
    await expect(table(page).locator('[data-record-index]')).toHaveCount(0);

    // Only one unknown type.
    const [unknown, unknownCount] = counts.find(([type]) => type > TYPE_END) ?? [0, 0];
    await filter.getByRole('checkbox', { name: `${typeLabel(unknown)} · ${fmt(unknownCount)}` }).check();
    await expect(recordCount(page)).toHaveText(`${fmt(unknownCount)} of ${fmt(total)}`);
    await expect
      .poll(async () => (await renderedRecordOrder(page)).map((r) => r.index))
      .toEqual(t.records.flatMap((r, i) => (r.type === unknown ? [i] : [])));

    await filter.getByRole('button', { name: 'All' }).click();
    await expect(recordCount(page)).toHaveText(`${fmt(total)} of ${fmt(total)}`);
    expect(page.url()).not.toMatch(/types=/);
  });
});

test.describe('search', () => {
  test('substring search counts the STRING records holding the text', async ({ page }) => {
    const t = tlvTruth('oob-unknown-types');
    await openTlv(page, t);
    const total = t.records.length;
    const query = 'map_value';
    const hits = matching(t, (s) => s.includes(query));
    // The query's case does not matter for this fixture, so the test holds whether search ignores case or not.
    expect(matching(t, (s) => s.toLowerCase().includes(query.toLowerCase()))).toEqual(hits);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThan(total);

    await search(page, query);
    await expect(recordCount(page)).toHaveText(`${fmt(hits.length)} of ${fmt(total)}`);
    await expect.poll(async () => (await renderedRecordOrder(page)).map((r) => r.index)).toEqual(hits);
    for (const i of hits) await expect(row(page, i).locator('.col-preview')).toContainText(query);
    expect(decodeURIComponent(page.url())).toContain(`q=${query}`);

    // Search and type filter combine.
    const counts = typeCounts(t);
    const strings = counts.find(([type]) => type === TYPE_STRING)?.[1] ?? 0;
    await page
      .getByTestId('type-filter')
      .getByRole('checkbox', { name: `STRING (1) · ${fmt(strings)}` })
      .uncheck();
    await expect(recordCount(page)).toHaveText(`0 of ${fmt(total)}`);
    await page.getByTestId('type-filter').getByRole('button', { name: 'All' }).click();
    await expect(recordCount(page)).toHaveText(`${fmt(hits.length)} of ${fmt(total)}`);

    // Text absent from the log.
    await search(page, 'no such text in any record');
    await expect(recordCount(page)).toHaveText(`0 of ${fmt(total)}`);
    await search(page, '');
    await expect(recordCount(page)).toHaveText(`${fmt(total)} of ${fmt(total)}`);
  });

  test('search in a fragmented log, then in a text log', async ({ page }) => {
    const t = tlvTruth('oob-fragments');
    await openTlv(page, t);
    const query = 'bpf_map_lookup_elem';
    const hits = matching(t, (s) => s.includes(query));
    expect(hits.length).toBeGreaterThan(0);
    await search(page, query);
    await expect(recordCount(page)).toHaveText(`${fmt(hits.length)} of ${fmt(t.records.length)}`);

    const file = 'bad-bounds.bin';
    const lines = textLines(kernelBytes(file));
    await openPath(page, path.join(KERNEL_DIR, file));
    await expect(page.getByTestId('summary').locator('dd').first()).toHaveText(file);
    const textQuery = 'R1=';
    await search(page, textQuery);
    await expect(recordCount(page)).toHaveText(
      `${fmt(lines.filter((l) => l.includes(textQuery)).length)} of ${fmt(lines.length)}`,
    );
  });

  test('regex search, and an invalid regex shows an error and leaves the app usable', async ({ page }) => {
    const t = tlvTruth('oob-whole');
    await openTlv(page, t);
    const total = t.records.length;
    const pattern = String.raw`^\d+: \(85\) call `;
    const hits = matching(t, (s) => new RegExp(pattern, 'u').test(s));
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThan(total);

    await page.getByRole('checkbox', { name: 'regex' }).check();
    await search(page, pattern);
    await expect(recordCount(page)).toHaveText(`${fmt(hits.length)} of ${fmt(total)}`);
    await expect.poll(async () => (await renderedRecordOrder(page)).map((r) => r.index)).toEqual(hits);
    expect(page.url()).toContain('re=1');
    await expect(page.getByTestId('search-error')).toHaveCount(0);

    const alternatives = '^(invalid access|R1 max value)';
    await search(page, alternatives);
    await expect(recordCount(page)).toHaveText(
      `${fmt(matching(t, (s) => new RegExp(alternatives, 'u').test(s)).length)} of ${fmt(total)}`,
    );

    await search(page, '(unclosed');
    await expect(page.getByTestId('search-error')).toBeVisible();
    await expect(page.getByTestId('search-input')).toHaveAttribute('aria-invalid', 'true');

    // Fixing the pattern clears the error and filters again.
    await search(page, 'R1=ctx\\(\\)');
    await expect(page.getByTestId('search-error')).toHaveCount(0);
    await expect(recordCount(page)).toHaveText(
      `${fmt(matching(t, (s) => /R1=ctx\(\)/u.test(s)).length)} of ${fmt(total)}`,
    );

    // The same text as a plain substring is literal: brackets are not special.
    await page.getByRole('checkbox', { name: 'regex' }).uncheck();
    await expect(recordCount(page)).toHaveText(
      `${fmt(matching(t, (s) => s.includes('R1=ctx\\(\\)')).length)} of ${fmt(total)}`,
    );
    await search(page, '');
    await expect(recordCount(page)).toHaveText(`${fmt(total)} of ${fmt(total)}`);
    await row(page, 3).click();
    await expect(row(page, 3)).toHaveAttribute('aria-selected', 'true');
  });
});

test.describe('selection and keyboard', () => {
  test('click selects; arrows, Page Up/Down, Home and End move the selection', async ({ page }) => {
    const t = tlvTruth('ok2-fragments');
    await openTlv(page, t);
    const last = t.records.length - 1;
    await expect(selectedRows(page)).toHaveCount(0);

    await row(page, 3).click();
    await expect(row(page, 3)).toHaveAttribute('aria-selected', 'true');
    await expect(selectedRows(page)).toHaveCount(1);
    await expect(detailHeading(page)).toContainText('Record 3 ·');
    await expect(table(page)).toBeFocused();

    await page.keyboard.press('ArrowDown');
    await expect(row(page, 4)).toHaveAttribute('aria-selected', 'true');
    await expect(selectedRows(page)).toHaveCount(1);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect(row(page, 2)).toHaveAttribute('aria-selected', 'true');
    await expect(detailHeading(page)).toContainText('Record 2 ·');

    await page.keyboard.press('Home');
    await expect(row(page, 0)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowUp'); // stays on the first row
    await expect(row(page, 0)).toHaveAttribute('aria-selected', 'true');

    await page.keyboard.press('PageDown');
    await expect(row(page, 0)).toHaveAttribute('aria-selected', 'false');
    const afterPage = Number(await selectedRows(page).getAttribute('data-record-index'));
    expect(afterPage).toBeGreaterThan(1);
    await expect(row(page, afterPage)).toBeInViewport();
    await page.keyboard.press('PageDown');
    await expect(selectedRows(page)).toHaveAttribute('data-record-index', String(2 * afterPage));
    await expect(row(page, 2 * afterPage)).toBeInViewport();
    await page.keyboard.press('PageUp');
    await expect(selectedRows(page)).toHaveAttribute('data-record-index', String(afterPage));
    await page.keyboard.press('PageUp');
    await expect(row(page, 0)).toHaveAttribute('aria-selected', 'true');
    await expect(row(page, 0)).toBeInViewport();

    await page.keyboard.press('End');
    await expect(row(page, last)).toHaveAttribute('aria-selected', 'true');
    await expect(row(page, last)).toBeInViewport();
    await expect(row(page, last).locator('.col-type')).toHaveText('END (2)');
    await expect(detailHeading(page)).toContainText(`Record ${fmt(last)} · END (2)`);
    await page.keyboard.press('ArrowDown'); // stays on the last row
    await expect(row(page, last)).toHaveAttribute('aria-selected', 'true');
    expect(page.url()).toContain(`rec=${last}`);
  });

  test('the keyboard walks the filtered view, not the record numbers', async ({ page }) => {
    const t = tlvTruth('oob-whole');
    await openTlv(page, t);
    const query = 'R0=';
    const hits = matching(t, (s) => s.includes(query));
    expect(hits.length).toBeGreaterThan(2);
    await search(page, query);
    await expect(recordCount(page)).toHaveText(`${fmt(hits.length)} of ${fmt(t.records.length)}`);
    await row(page, hits[0]).click();
    await page.keyboard.press('ArrowDown');
    await expect(row(page, hits[1])).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('End');
    await expect(row(page, hits[hits.length - 1])).toHaveAttribute('aria-selected', 'true');
  });
});

test('sorting by length: one direction, the other, then back to record order', async ({ page }) => {
  const t = tlvTruth('ok2-fragments');
  await openTlv(page, t);
  const lengths = t.records.map((r) => r.len);
  const ascending = [...lengths].sort((a, b) => a - b);
  const byDirection = { ascending, descending: [...ascending].reverse() };
  const header = page.getByRole('columnheader', { name: /Length/ });
  const toTop = () =>
    table(page).evaluate((el) => {
      el.scrollTop = 0;
    });
  await expect(header).toHaveAttribute('aria-sort', 'none');

  // The first click may sort either way (numeric columns often start descending); the rows must follow it.
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', /^(ascending|descending)$/);
  const first = (await header.getAttribute('aria-sort')) as 'ascending' | 'descending';
  const second = first === 'ascending' ? 'descending' : 'ascending';
  await expect
    .poll(async () => (await renderedRecordOrder(page)).slice(0, 15).map((r) => r.length))
    .toEqual(byDirection[first].slice(0, 15));
  // Each row's length is its record's.
  for (const r of (await renderedRecordOrder(page)).slice(0, 15)) expect(r.length).toBe(lengths[r.index]);
  await table(page).focus();
  await page.keyboard.press('End');
  await expect(selectedRows(page).locator('.col-length')).toHaveText(
    fmt(byDirection[first][lengths.length - 1]),
  );
  await expect(selectedRows(page)).toBeInViewport();

  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', second);
  await toTop();
  await expect
    .poll(async () => (await renderedRecordOrder(page)).slice(0, 15).map((r) => r.length))
    .toEqual(byDirection[second].slice(0, 15));

  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'none');
  await toTop();
  await expect
    .poll(async () => (await renderedRecordOrder(page)).slice(0, 15).map((r) => r.index))
    .toEqual([...Array(15).keys()]);
  await expect(recordCount(page)).toHaveText(`${fmt(t.records.length)} of ${fmt(t.records.length)}`);
});

test.describe('unknown types', () => {
  const hexOf = (bytes: Buffer, max = 32) =>
    [...bytes.subarray(0, max)].map((b) => b.toString(16).padStart(2, '0')).join(' ') +
    (bytes.length > max ? ' …' : '');

  test('are shown as hex and can be named in the editor; names persist', async ({ page }) => {
    const t = tlvTruth('oob-unknown-types');
    await openTlv(page, t);
    const unknown = t.records.flatMap((r, i) => (r.type > TYPE_END ? [i] : []));
    expect(unknown.length).toBeGreaterThan(1);
    for (const i of unknown) {
      const type = t.records[i].type;
      await expect(row(page, i).locator('.col-type')).toHaveText(`unknown (${type})`);
      await expect(row(page, i).locator('.col-preview')).toHaveText(hexOf(contentsOf(t, i)));
    }
    const [first, second] = unknown.map((i) => t.records[i].type);
    const counts = new Map(typeCounts(t));

    const input = page.getByTestId(`type-name-${first}`);
    await expect(input).toBeVisible();
    await input.fill('ERRNO');
    await input.press('Enter');
    await expect(row(page, unknown[0]).locator('.col-type')).toHaveText(`ERRNO (${first})`);
    await expect(page.getByTestId('type-filter')).toContainText(
      `ERRNO (${first}) · ${fmt(counts.get(first) ?? 0)}`,
    );
    await expect(row(page, unknown[1]).locator('.col-type')).toHaveText(`unknown (${second})`);

    // Commit on blur too.
    const other = page.getByTestId(`type-name-${second}`);
    await other.fill('BTF_ID');
    await other.blur();
    await expect(row(page, unknown[1]).locator('.col-type')).toHaveText(`BTF_ID (${second})`);

    // Kept in localStorage: a reload and the same file show the names again.
    await page.reload();
    await openTlv(page, t);
    await expect(row(page, unknown[0]).locator('.col-type')).toHaveText(`ERRNO (${first})`);
    await expect(row(page, unknown[1]).locator('.col-type')).toHaveText(`BTF_ID (${second})`);
    await row(page, unknown[0]).click();
    await expect(page.locator('tr[data-field=type]')).toContainText(`${first} (ERRNO)`);

    // Clearing a name gives the number back.
    await page.getByText('Type names').click();
    await page.getByTestId(`type-name-${first}`).fill('');
    await page.getByTestId(`type-name-${first}`).press('Enter');
    await expect(row(page, unknown[0]).locator('.col-type')).toHaveText(`unknown (${first})`);
  });

  test('names can be imported from a JSON file, for the big-endian log too', async ({ page }) => {
    const t = tlvTruth('leak-unknown-be');
    await openTlv(page, t);
    const unknown = t.records.flatMap((r, i) => (r.type > TYPE_END ? [i] : []));
    expect(unknown.length).toBeGreaterThan(0);
    const type = t.records[unknown[0]].type;
    await expect(row(page, unknown[0]).locator('.col-type')).toHaveText(`unknown (${type})`);
    await expect(row(page, unknown[0]).locator('.col-preview')).toHaveText(hexOf(contentsOf(t, unknown[0])));

    await page.getByTestId('type-map-import').setInputFiles({
      name: 'types.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ [String(type)]: 'LEAK_INFO' })),
    });
    await expect(row(page, unknown[0]).locator('.col-type')).toHaveText(`LEAK_INFO (${type})`);
    const count = t.records.filter((r) => r.type === type).length;
    await expect(page.getByTestId('type-filter')).toContainText(`LEAK_INFO (${type}) · ${fmt(count)}`);
    await expect(page.getByTestId(`type-name-${type}`)).toHaveValue('LEAK_INFO');

    // A bad file is reported and changes nothing.
    const details = page.locator('details.type-map');
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open)))
      await page.getByText('Type names').click();
    await page.getByTestId('type-map-import').setInputFiles({
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{ not json'),
    });
    await expect(page.getByRole('status').filter({ hasText: /not JSON/ })).toBeVisible();
    await expect(row(page, unknown[0]).locator('.col-type')).toHaveText(`LEAK_INFO (${type})`);
    await expect(recordCount(page)).toHaveText(`${fmt(t.records.length)} of ${fmt(t.records.length)}`);
  });
});

test('the Type names section stays open, with its message, after the last unknown type is named', async ({
  page,
}) => {
  const t = tlvTruth('leak-unknown-be');
  await openTlv(page, t);
  const types = [...new Set(t.records.filter((r) => r.type > TYPE_END).map((r) => r.type))];
  expect(types).toHaveLength(1);
  const details = page.locator('details.type-map');
  await expect(details).toHaveAttribute('open', '');
  await page.getByTestId('type-map-import').setInputFiles({
    name: 'types.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ [String(types[0])]: 'LEAK_INFO' })),
  });
  await expect(
    row(
      page,
      t.records.findIndex((r) => r.type === types[0]),
    ).locator('.col-type'),
  ).toHaveText(`LEAK_INFO (${types[0]})`);
  // The user just acted in this section: it must not snap shut and hide the confirmation.
  await expect(page.getByRole('status').filter({ hasText: 'Imported 1 name(s).' })).toBeVisible();
  await expect(details).toHaveAttribute('open', '');
});
