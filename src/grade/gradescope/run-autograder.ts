/**
 * Gradescope's entry point, started by the zip's run_autograder:
 * `node --import tsx src/grade/gradescope/run-autograder.ts`. Reads gradescope.json beside the
 * zip's setup.sh, grades /autograder/submission (AUTOGRADER_ROOT moves the tree, for tests) and
 * writes /autograder/results/results.json. Even when grading itself fails, a results.json is
 * written (score 0, the reason); the exit status is 0 whenever one was written.
 */
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../../notebook/index.ts";
import { ROOT } from "../workdir.ts";
import { CONFIG_FILE, parseConfig } from "./config.ts";
import { runAutograder } from "./autograde.ts";

const root = process.env["AUTOGRADER_ROOT"] || "/autograder";
try {
  const config = parseConfig(await readFile(path.join(ROOT, CONFIG_FILE), "utf8"), path.join(ROOT, CONFIG_FILE));
  const results = await runAutograder(root, config);
  const max = results.tests.reduce((s, t) => s + t.max_score, 0);
  console.log(`run_autograder: ${results.score} / ${max} (${results.tests.length} tests, ${results.execution_time} s)`);
} catch (error) {
  console.error(error);
  const file = path.join(root, "results", "results.json");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(
    file,
    `${JSON.stringify(
      {
        score: 0,
        execution_time: 0,
        output: `The autograder could not grade this submission (${(error as Error).message}). This is not your fault: tell your instructor.`,
        output_format: "text",
        test_output_format: "text",
        stdout_visibility: "hidden",
        visibility: "visible",
        tests: [],
      },
      null,
      2,
    )}\n`,
  );
}
