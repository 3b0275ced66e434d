import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { copyLiveAssets } from "../../live/bundle.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/**
 * Copy the static assets into `<out>/assets`: the stylesheet and the search script, KaTeX's
 * stylesheet with its woff2 fonts (every current browser takes woff2; the woff/ttf fallbacks the CSS
 * also names are never requested), and MiniSearch's browser build (its source-map comment removed,
 * since the map is not shipped).
 */
export async function copyAssets(out: string): Promise<void> {
  const assets = path.join(out, "assets");
  // Resolved through the packages' main entries (minisearch exports no ./package.json): dist/cjs/index.cjs, dist/katex.js.
  const katexDist = path.dirname(require.resolve("katex"));
  await mkdir(path.join(assets, "katex", "fonts"), { recursive: true });
  await copyFile(path.join(here, "..", "assets", "site.css"), path.join(assets, "site.css"));
  await copyFile(path.join(here, "..", "assets", "site.js"), path.join(assets, "site.js"));
  await copyFile(path.join(katexDist, "katex.min.css"), path.join(assets, "katex", "katex.min.css"));
  for (const font of await readdir(path.join(katexDist, "fonts"))) {
    if (font.endsWith(".woff2"))
      await copyFile(path.join(katexDist, "fonts", font), path.join(assets, "katex", "fonts", font));
  }
  const minisearch = await readFile(
    path.join(path.dirname(require.resolve("minisearch")), "..", "umd", "index.js"),
    "utf8",
  );
  await writeFile(path.join(assets, "minisearch.js"), minisearch.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n"));
  // The live lesson (Run buttons, kernel worker, service worker): see src/live/bundle.ts.
  await copyLiveAssets(out);
}
