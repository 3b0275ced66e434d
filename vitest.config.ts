import { defineConfig } from "vitest/config";

// Projects: `unit` (fast, no external process beyond Node: also run under Node 24 in CI) and
// `integration` (the real tslab kernel, jupyter server, headless Chromium, grading sandboxes).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Kernel, server and browser tests start real processes; on 2 cores, two files at a time.
    maxWorkers: 2,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts", "test/helpers/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/lesson/**/*.test.ts", "test/site/**/*.test.ts"],
        },
      },
    ],
  },
});
