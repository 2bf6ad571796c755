// Takes the README's screenshots from the built app: `npm run build && node e2e/screenshots/take.mjs`
// (serves dist/ itself on port 4178).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const here = dirname(fileURLToPath(import.meta.url));
const port = 4178;
const base = `http://127.0.0.1:${port}/`;
const server = spawn(
  'npx',
  ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
  // Its own process group, so the whole tree (npx, then vite) is stopped at the end.
  { stdio: 'ignore', detached: true },
);

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('preview server did not start');
}

async function openSample(browser, file, rec) {
  // A fresh page each time: a hash-only navigation would keep the previous log's state.
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(`${base}#v=1${rec === undefined ? '' : `&rec=${rec}`}`);
  await page.selectOption('[data-testid=sample-select]', file);
  await page.waitForSelector('[data-record-index]');
  await page.waitForTimeout(400);
  return page;
}

try {
  await waitForServer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  let page = await openSample(browser, 'oob-unknown-types.bin', 9);
  await page.click('tr[data-field=len]');
  await page.screenshot({ path: join(here, 'tlv-record-hex.png') });

  page = await openSample(browser, 'oob-truncated-600.bin', 3);
  await page.getByRole('tab', { name: 'Buffer hex' }).click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(here, 'tlv-truncated-buffer.png') });

  page = await openSample(browser, 'too-large-71mb.bin.gz', 999_990);
  await page.getByRole('tab', { name: 'Text' }).click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(here, 'text-71mb.png') });

  page = await openSample(browser, 'loop-level2-rotated.bin');
  await page.fill('[data-testid=search-input]', 'goto pc-16');
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(here, 'text-rotated-search.png') });

  page = await openSample(browser, 'ok2-fragments.bin', 40);
  await page.click('[data-testid=share-button]');
  await page.waitForSelector('[data-testid=share-link]');
  await page.screenshot({ path: join(here, 'share.png') });

  // The verifier view (issue 9).
  page = await openSample(browser, 'bad-bounds.bin');
  await page.click('[data-testid=jump-to-error]');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(here, 'verifier-verdict.png') });

  // The 71 MB log: its loop's 16 pcs were visited 100,000 times each, the rest once.
  page = await openSample(browser, 'too-large-71mb.bin.gz');
  await page.waitForSelector('[data-testid=verdict][data-verdict=rejected]', { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Instructions' }).click();
  await page.waitForSelector('[data-testid=insn-view] [data-visits]');
  await page.click('[data-testid=insn-view] [data-sort=visits]');
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(here, 'verifier-instructions.png') });

  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  // Line 42 (pc 4 reads fp-8 after a helper call): selected by the link, so it is scrolled into view.
  await page.goto(`${base}#v=1&rec=42`);
  const usedef = join(here, '../../src/core/__fixtures__/kernel/usedef-level2.bin');
  await page.getByLabel('Open a log file').setInputFiles(usedef);
  await page.waitForSelector('[data-kind=insn][data-pc="4"]');
  await page.click('[data-kind=insn][data-pc="4"] [data-operand=fp-8]');
  await page.click('[data-kind=insn][data-pc="4"]');
  await page.getByRole('tab', { name: 'State' }).click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(here, 'verifier-state-usedef.png') });

  page = await openSample(browser, 'bad-bounds.bin');
  await page.getByRole('tab', { name: 'Source' }).click();
  await page.click('[data-source-line="progs.bpf.c:38"]');
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(here, 'verifier-source.png') });
  await browser.close();
} finally {
  if (server.pid) process.kill(-server.pid);
}
