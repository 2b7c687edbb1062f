import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A condition polled in a browser test waits on real servers and a page on a loaded 2-core
    // machine: vitest's 1 s default was passed in CI by sends that took longer (their result was right).
    expect: { poll: { timeout: 5_000 } },
    reporters: ['default', './test/summary-reporter.ts'],
    // Browser tests share one machine's two cores; run files in parallel but not too many.
    maxWorkers: 2
  }
})
