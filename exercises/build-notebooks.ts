/**
 * `node --import tsx exercises/build-notebooks.ts [ID...] [--instructor DIR]`: rebuild the
 * learners' exercise notebooks (notebooks/exercises/<id>.ipynb) from
 * exercises/<id>/{exercise.md,solution.ts}, through the same release step as `tsnb release`.
 * With --instructor DIR, also write the instructor notebooks (solutions and markers included) to
 * DIR, from which `tsnb release DIR/*.ipynb --out notebooks/exercises` gives the same learner notebooks.
 * test/unit/grade-notebooks.test.ts checks that the committed notebooks are what this script writes.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { writeNotebook } from "../src/notebook/index.ts";
import { releaseNotebook } from "../src/grade/release.ts";
import { EXERCISE_LIST } from "../src/grade/exercises.ts";
import { EXERCISES_DIR, instructorNotebook } from "./notebook-source.ts";

const args = process.argv.slice(2);
const at = args.indexOf("--instructor");
const instructorDir = at >= 0 ? args.splice(at, 2)[1] : undefined;
if (at >= 0 && !instructorDir) throw new Error("--instructor needs a folder");
for (const { id } of EXERCISE_LIST) {
  if (args.length && !args.includes(id)) continue;
  if (!existsSync(path.join(EXERCISES_DIR, id, "exercise.md"))) continue;
  const instructor = instructorNotebook(id);
  const out = path.resolve(EXERCISES_DIR, "../notebooks/exercises", `${id}.ipynb`);
  await writeNotebook(out, releaseNotebook(instructor, `exercises/${id}`));
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
  if (instructorDir) {
    await mkdir(instructorDir, { recursive: true });
    await writeNotebook(path.join(instructorDir, `${id}.ipynb`), instructor);
    console.log(`wrote ${path.join(instructorDir, `${id}.ipynb`)} (instructor)`);
  }
}
