import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
    // A test that asserts nothing fails: it cannot tell working code from broken.
    expect: { requireAssertions: true },
    // CI also writes a JSON report, from which .ci/run prints its closing count.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-reports/unit.json' }]] : ['default'],
  },
});
