// ESLint flat config: typescript-eslint's recommended rules over the tooling, helpers and tests.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "build/", "coverage/", "test-results/", ".tsnb-tmp/", "kernel-helpers/runtime/.bundle/", ".ci/.node24/", "**/*.cjs", "**/*.mjs", "!kernel-helpers/runtime/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "warn",
    },
  },
  {
    // The helpers' worker runtimes: CommonJS that Node loads by path in a worker or child (no build step);
    // tsc checks them through `// @ts-check` and JSDoc types from the TypeScript modules (kernel-helpers/protocol.ts).
    files: ["kernel-helpers/runtime/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Exercise submissions (references, known-wrong and hostile variants) are notebook-cell code:
    // top-level declarations the grader imports, empty loops and catch blocks on purpose.
    files: ["exercises/*/solution.ts", "exercises/*/broken/**", "exercises/*/alternative/**", "exercises/*/hostile/**"],
    rules: { "@typescript-eslint/no-unused-vars": "off", "no-empty": "off", "@typescript-eslint/no-explicit-any": "off" },
  },
);
