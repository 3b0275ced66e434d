// ESLint flat config: typescript-eslint's recommended rules over the tooling, helpers and tests.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "build/", "coverage/", "test-results/", ".tsnb-tmp/", "kernel-helpers/runtime/.bundle/", ".ci/.node24/"] },
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
    // Plain-JavaScript runtimes that Node loads by path (no build step): the helpers' worker runtimes,
    // the grading sandbox's host and preload, the kernel's watchdog: CommonJS in .cjs, ES modules in
    // .mjs (the suite runner). tsc checks them through `// @ts-check` and JSDoc types from the
    // TypeScript modules (kernel-helpers/protocol.ts, src/grade/sandbox/protocol.ts, src/grade/runner/protocol.ts).
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
  {
    // Exercise submissions (references, known-wrong and hostile variants) are notebook-cell code:
    // top-level declarations the grader imports, empty loops and catch blocks on purpose.
    files: ["exercises/*/solution.ts", "exercises/*/broken/**", "exercises/*/alternative/**", "exercises/*/hostile/**"],
    rules: { "@typescript-eslint/no-unused-vars": "off", "no-empty": "off", "@typescript-eslint/no-explicit-any": "off" },
  },
);
