import { readdir } from "node:fs/promises";
import path from "node:path";
import type { SourceNotebook } from "../types.ts";

async function listNotebooks(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    // A folder that does not exist yet (the lesson is being written) simply has no notebooks.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  // By file name, numbers compared as numbers: 2-x before 10-x even without zero padding.
  return entries
    .filter((f) => f.endsWith(".ipynb") && !f.startsWith("."))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

/** The lessons (`notebooks/*.ipynb`) then the exercises (`notebooks/exercises/*.ipynb`), each in file-name order. */
export async function discoverNotebooks(root: string, notebooksDir: string): Promise<SourceNotebook[]> {
  const found: SourceNotebook[] = [];
  for (const [kind, dir, prefix] of [
    ["lesson", notebooksDir, ""],
    ["exercise", path.join(notebooksDir, "exercises"), "exercises/"],
  ] as const) {
    for (const file of await listNotebooks(dir)) {
      const name = file.slice(0, -".ipynb".length);
      const source = path.join(dir, file);
      found.push({
        kind,
        source,
        name,
        href: `${prefix}${name}.html`,
        download: `${prefix}${file}`,
        relative: path.relative(root, source).split(path.sep).join("/"),
      });
    }
  }
  return found;
}
