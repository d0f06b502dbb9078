import { defineConfig } from "vitest/config";

const ignored = ["node_modules/**", ".next/**", "prisma/generated/**", "e2e/**"];

// Two projects: pure unit tests, and integration tests against real Redis and PostgreSQL
// (own database `switchyard_test`, Redis prefix `sytest`, own ports). Integration files run one
// at a time because they share the test ports.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: [...ignored, "**/*.int.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude: ignored,
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
