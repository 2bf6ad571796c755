/** Builds the Node entry points (the bpflog CLI and the benches) into dist/cli. */
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: true,
    outDir: 'dist/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rolldownOptions: {
      input: {
        bpflog: 'src/cli/bpflog.ts',
        bench: 'src/bench/bench.ts',
        'app-bench': 'src/bench/app.ts',
        'big-logs': 'src/bench/bigLogs.ts',
      },
      output: { entryFileNames: '[name].js', format: 'es' },
      // Playwright stays a runtime import of the bench, not bundled.
      external: [/^@playwright\//, /^playwright/],
    },
  },
});
