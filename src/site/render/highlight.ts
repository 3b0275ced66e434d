import { createHighlighterCore, type HighlighterCore } from "shiki/core";
import { createOnigurumaEngine } from "shiki/engine/oniguruma";
import { escapeHtml } from "./html.ts";

/** Languages the pages highlight; anything else is shown as escaped plain text. */
const ALIASES: Record<string, string> = {
  ts: "typescript",
  typescript: "typescript",
  tsx: "typescript",
  js: "javascript",
  javascript: "javascript",
  mjs: "javascript",
  json: "json",
  sh: "shellscript",
  bash: "shellscript",
  shell: "shellscript",
  console: "shellscript",
  py: "python",
  python: "python",
};

let shared: Promise<HighlighterCore> | undefined;

/**
 * The one shiki highlighter of the process, created on first use. Only the languages above and two
 * themes are loaded (the full bundle costs ~10x the start-up), with the Oniguruma (WebAssembly)
 * engine: measured here on a 200-line TypeScript file, its first highlight took about half the time
 * of the JavaScript regex engine's (which compiles every grammar regex to a JS RegExp on first use),
 * and a site build is mostly first highlights.
 */
export function getHighlighter(): Promise<HighlighterCore> {
  shared ??= createHighlighterCore({
    themes: [import("shiki/themes/github-light.mjs"), import("shiki/themes/github-dark.mjs")],
    langs: [
      import("shiki/langs/typescript.mjs"),
      import("shiki/langs/javascript.mjs"),
      import("shiki/langs/json.mjs"),
      import("shiki/langs/shellscript.mjs"),
      import("shiki/langs/python.mjs"),
    ],
    engine: createOnigurumaEngine(import("shiki/wasm")),
  });
  return shared;
}

/**
 * Highlight `code` as `lang` into a `<pre class="shiki">` carrying both themes: colours for the light
 * theme inline, the dark theme's in `--shiki-dark` variables that the stylesheet switches to under
 * `prefers-color-scheme: dark`. An unknown language gives an escaped, unhighlighted block.
 */
export function highlight(highlighter: HighlighterCore, code: string, lang: string | undefined): string {
  const language = ALIASES[(lang ?? "").toLowerCase()];
  if (!language) return `<pre class="shiki plain"><code>${escapeHtml(code)}</code></pre>`;
  return highlighter.codeToHtml(code, {
    lang: language,
    themes: { light: "github-light", dark: "github-dark" },
    defaultColor: "light",
  });
}
