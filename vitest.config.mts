import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/core/**/*.test.ts', 'tests/shell/**/*.test.ts', 'tests/central/**/*.test.ts'],
          // The built bundles are tested by the 'bundle' project, after `npm run build`.
          exclude: ['tests/shell/bundle.test.ts'],
          testTimeout: 30_000,
          // Some files build a demo board or start the board's store (PGlite takes seconds without a
          // DATABASE_URL) before their tests: setup, not a timing.
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'bundle',
          environment: 'node',
          include: ['tests/shell/bundle.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One Chromium at a time: the machine has two cores.
          fileParallelism: false,
        },
      },
    ],
  },
})
