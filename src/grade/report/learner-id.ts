import path from "node:path";
import { readNotebook } from "../../notebook/index.ts";

/** Where a learner's id comes from: the submission's file name, or `metadata.tsnb.learner_id` in the notebook. */
export type LearnerIdSource = "file" | "metadata";

/** The notebook metadata key `--id-from metadata` reads: `{"metadata": {"tsnb": {"learner_id": "..."}}}`. */
export const LEARNER_ID_KEY = "tsnb.learner_id";

/**
 * The learner named by a submission's file: its name without the extension (`alice.ipynb` ->
 * `alice`); when the name is just the exercise id (a learner who kept the notebook's name, as in
 * `alice/safe-counter.ipynb`, or Gradescope's `submission_123/safe-counter.ipynb`), the folder's name.
 */
export function learnerFromFile(file: string, exerciseIds: readonly string[]): string {
  const base = path.basename(file).replace(/\.(ipynb|[cm]?[jt]s)$/, "");
  if (!exerciseIds.includes(base)) return base;
  const folder = path.basename(path.dirname(path.resolve(file)));
  return folder || base;
}

/** The id stored in a notebook's metadata, or an explanation of why there is none. */
export async function learnerFromMetadata(file: string): Promise<{ id: string } | { problem: string }> {
  if (!file.endsWith(".ipynb")) return { problem: `${file}: not a notebook, so no metadata.${LEARNER_ID_KEY}` };
  try {
    const nb = await readNotebook(file);
    const id = (nb.metadata as { tsnb?: { learner_id?: unknown } }).tsnb?.learner_id;
    if (typeof id === "string" && id.trim()) return { id: id.trim() };
    if (typeof id === "number") return { id: String(id) };
    return { problem: `${file}: no metadata.${LEARNER_ID_KEY} (a string) in the notebook` };
  } catch (error) {
    return { problem: `${file}: cannot read metadata.${LEARNER_ID_KEY}: ${(error as Error).message}` };
  }
}
