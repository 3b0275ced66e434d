import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../../errors.ts";

/** A marker that a folder is a site we built, so replacing it never deletes someone's files. */
export const MARKER = ".tsnb-site";

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Refuse to build into a non-empty folder that `tsnb site` did not make. */
export async function assertReplaceable(outDir: string): Promise<void> {
  if (!(await exists(outDir))) return;
  const entries = await readdir(outDir);
  if (entries.length && !entries.includes(MARKER)) {
    throw new UsageError(
      `refusing to replace ${outDir}: it is not empty and was not made by \`tsnb site\` (no ${MARKER} file in it); choose another --out`,
    );
  }
}

/** A fresh, empty staging folder beside `outDir` (same file system, so the swap is a rename). */
export async function makeStaging(outDir: string): Promise<string> {
  const staging = `${outDir}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  return staging;
}

/**
 * Put the staged site in place of `outDir`. The old site moves aside first and is removed last, so a
 * reader of `tsnb serve` sees the old site or the new one, never half of one; between the two renames
 * `outDir` is briefly absent (a 404, not a broken page).
 */
export async function swapIn(staging: string, outDir: string): Promise<void> {
  await writeFile(path.join(staging, MARKER), "Built by `tsnb site`; replaced on every build.\n");
  const old = `${outDir}.old-${process.pid}`;
  const hadOld = await exists(outDir);
  if (hadOld) await rename(outDir, old);
  await mkdir(path.dirname(outDir), { recursive: true });
  await rename(staging, outDir);
  if (hadOld) await rm(old, { recursive: true, force: true });
}
