/**
 * `node --import tsx test/exercises/build-notebooks.ts [ID...]`: rebuild the learners' exercise
 * notebooks (notebooks/exercises/<id>.ipynb) from test/exercises/<id>/{exercise.md,solution.ts},
 * through the same release step as `tsnb release`. test/unit/grade-notebooks.test.ts checks that
 * the committed notebooks are what this script writes.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { writeNotebook } from "../../src/notebook/index.ts";
import { releaseNotebook } from "../../src/grade/release.ts";
import { EXERCISE_LIST } from "../../src/grade/exercises.ts";
import { EXERCISES_DIR, instructorNotebook } from "./notebook-source.ts";

const wanted = process.argv.slice(2);
for (const { id } of EXERCISE_LIST) {
  if (wanted.length && !wanted.includes(id)) continue;
  if (!existsSync(path.join(EXERCISES_DIR, id, "exercise.md"))) continue;
  const out = path.resolve(EXERCISES_DIR, "../../notebooks/exercises", `${id}.ipynb`);
  await writeNotebook(out, releaseNotebook(instructorNotebook(id), `test/exercises/${id}`));
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
