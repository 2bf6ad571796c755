import { expect, it } from 'vitest';
import { fixtureRaw } from '../testing/fixtures.ts';
import { compilePattern } from './regex.ts';
import { LogSession } from './session.ts';

it('bench', async () => {
  for (const p of [
    '((a{100}){100}){100}',
    '(.{1000}){1000}',
    '(((a{30}){30}){30})',
    '[^x]{1000}',
    '(\\w+\\s?)*$',
  ]) {
    const t = performance.now();
    const c = compilePattern(p);
    console.log('compile', p, c.ok ? 'ok' : c.error, (performance.now() - t).toFixed(0), 'ms');
  }
  const s = await LogSession.open(fixtureRaw('kernel/too-large-71mb.bin.gz'), 'x');
  await s.setView({ types: null, query: 'zzz', regex: false }, null);
  for (const q of [
    '^(a+)+$',
    '(x+x+)+y',
    '(.*)*z',
    '(.*a){20}',
    '(\\w+\\s?)*$',
    '(a|aa)*b',
    '[^x]{1000}',
    '(.*)(.*)(.*)(.*)(.*)q',
    '(R\\d+|r\\d+)+=\\S*inv',
    '.*.*=.*',
  ]) {
    const t = performance.now();
    const r = await s.setView({ types: null, query: q, regex: true }, null);
    console.log(q, r.total, r.error, (performance.now() - t).toFixed(0), 'ms');
  }
  expect(1).toBe(1);
}, 600_000);
