import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'tools'],
    reporters: ['default', './scripts/vitest-summary-reporter.ts'],
  },
});
