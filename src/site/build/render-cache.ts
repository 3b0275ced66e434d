import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { walkFiles } from "../../fs-walk.ts";
import { writeFileAtomic } from "../../notebook/index.ts";
import type { RenderedNotebook } from "../types.ts";

/** The site's sources: src/site/. */
const siteDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

let rendererKey: Promise<string> | undefined;

/**
 * A fingerprint of the renderer: every source file under src/site/ (renderer, page templates,
 * stylesheet, scripts) and the lockfile (shiki's grammars, KaTeX, markdown-it versions). Any change to
 * either makes every cached page a miss, so a cached page is always what the current code would render.
 */
function fingerprint(): Promise<string> {
  rendererKey ??= (async () => {
    const files: string[] = [];
    for await (const { full } of walkFiles(siteDir)) files.push(path.relative(siteDir, full).split(path.sep).join("/"));
    const hash = createHash("sha256");
    for (const f of files.sort()) hash.update(f).update(await readFile(path.join(siteDir, f)));
    hash.update(await readFile(path.resolve(siteDir, "../../package-lock.json")).catch(() => Buffer.from("no lockfile")));
    return hash.digest("hex");
  })();
  return rendererKey;
}

/**
 * Rendered pages kept between builds, keyed by what a page depends on: the renderer's fingerprint,
 * the trust mode, the kind of page and the notebook file's bytes. `npm start` after editing one lesson
 * renders that one page again; the others are read back (and shiki, which is most of a cold render,
 * is never loaded). Entries not used by a build are removed at its end.
 */
export class RenderCache {
  readonly #dir: string;
  readonly #used = new Set<string>();

  /** @param dir the cache folder (created on first write). */
  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The key of a page: a SHA-256 over the renderer, the options and the notebook file's bytes. */
  async key(raw: string | Uint8Array, options: { trusted: boolean; kind: string }): Promise<string> {
    return createHash("sha256")
      .update(await fingerprint())
      .update(JSON.stringify(options))
      .update(raw)
      .digest("hex");
  }

  /** The cached page, or undefined (a missing or unreadable entry is a miss). */
  async get(key: string): Promise<RenderedNotebook | undefined> {
    this.#used.add(key);
    try {
      return JSON.parse(await readFile(path.join(this.#dir, `${key}.json`), "utf8")) as RenderedNotebook;
    } catch {
      return undefined;
    }
  }

  /** Keep a rendered page (atomically: a build killed mid-write leaves no torn entry). */
  async set(key: string, rendered: RenderedNotebook): Promise<void> {
    this.#used.add(key);
    await mkdir(this.#dir, { recursive: true });
    await writeFileAtomic(path.join(this.#dir, `${key}.json`), JSON.stringify(rendered));
  }

  /** Remove the entries this build did not use. */
  async prune(): Promise<void> {
    const names = await readdir(this.#dir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((n) => n.endsWith(".json") && !this.#used.has(n.slice(0, -5)))
        .map((n) => rm(path.join(this.#dir, n), { force: true })),
    );
  }
}
