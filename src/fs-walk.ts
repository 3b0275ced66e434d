import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";

/**
 * Every file below `dir`, depth first, as `{ full, entry }`. A folder that cannot be read (missing, no
 * permission) yields nothing rather than failing the walk; `skip(entry)` prunes files and folders by name.
 */
export async function* walkFiles(
  dir: string,
  skip: (entry: Dirent) => boolean = () => false,
): AsyncGenerator<{ full: string; entry: Dirent }> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (skip(entry)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walkFiles(full, skip);
    else if (entry.isFile()) yield { full, entry };
  }
}
