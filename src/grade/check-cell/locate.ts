/**
 * Which saved notebook the check cell grades. The kernel runs in the notebook's folder; Jupyter
 * Server names the notebook in the kernel's environment (`JPY_SESSION_NAME`, a path from the server's
 * root); `tsnb run` and older servers do not. So: the session's notebook when it holds the exercise,
 * else the one notebook in the folder whose solution cells name the exercise, else `<id>.ipynb`, else
 * the most recently saved of several, and the reason is part of what the learner reads.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { CourseError } from "../../errors.ts";

/** No saved notebook holds the exercise: says where it looked and what to do. */
export class CheckCellError extends CourseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_CHECK_CELL", message, options);
  }
}

export interface LocatedNotebook {
  file: string;
  /** When the file was last saved. */
  savedAt: Date;
  /** Why this file when several could be meant, for the learner; empty when there was no choice. */
  because: string;
}

/** Whether a notebook file has a solution cell of `exercise` (a cheap text test first, then the JSON). */
async function holds(file: string, exercise: string): Promise<boolean> {
  const text = await readFile(file, "utf8").catch(() => "");
  if (!text.includes(`"${exercise}"`)) return false;
  try {
    const nb = JSON.parse(text) as {
      cells?: Array<{ metadata?: { nbgrader?: { solution?: unknown; grade_id?: unknown } } }>;
    };
    return (nb.cells ?? []).some(
      (c) => c.metadata?.nbgrader?.solution === true && c.metadata.nbgrader.grade_id === exercise,
    );
  } catch {
    return false; // unreadable JSON: not a candidate (grading it would only say it is broken)
  }
}

/** Find the saved notebook of `exercise` in `dir` (the kernel's folder). */
export async function locateNotebook(exercise: string, dir: string, session?: string): Promise<LocatedNotebook> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter(
    (n) => n.endsWith(".ipynb") && !n.startsWith("."),
  );
  const candidates: string[] = [];
  for (const name of names) if (await holds(path.join(dir, name), exercise)) candidates.push(name);
  const found = async (name: string, because: string): Promise<LocatedNotebook> => {
    const file = path.join(dir, name);
    return { file, savedAt: (await stat(file)).mtime, because };
  };
  const sessionName = session ? path.basename(session) : undefined;
  if (sessionName && candidates.includes(sessionName)) return found(sessionName, "");
  if (candidates.length === 1) return found(candidates[0]!, "");
  if (candidates.length === 0) {
    throw new CheckCellError(
      `no saved notebook in ${dir} has a solution cell of "${exercise}"` +
        (sessionName ? ` (this notebook, ${sessionName}, lost the solution cell's metadata?)` : "") +
        `: save the notebook (Ctrl+S) in this folder and run this cell again, or grade it in a terminal: npx tsnb grade NOTEBOOK.ipynb`,
    );
  }
  const named = `${exercise}.ipynb`;
  if (candidates.includes(named))
    return found(named, `${candidates.length} notebooks here hold "${exercise}"; this one is named for it`);
  const times = await Promise.all(candidates.map(async (n) => ({ n, t: (await stat(path.join(dir, n))).mtimeMs })));
  times.sort((a, b) => b.t - a.t);
  return found(times[0]!.n, `${candidates.length} notebooks here hold "${exercise}"; this one was saved last`);
}
