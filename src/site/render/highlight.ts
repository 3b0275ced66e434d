import { createHighlighterCore, type HighlighterCore, type LanguageInput } from "shiki/core";
import { createJavaScriptRegexEngine } from "shiki/engine/javascript";
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

/**
 * Each language's grammar, loaded on first use. TypeScript, JavaScript and JSON come precompiled
 * (their Oniguruma regexes already translated to JavaScript RegExps, `@shikijs/langs-precompiled`),
 * so the first highlight compiles nothing: measured here on the fixture notebooks, creating the
 * highlighter and highlighting every cell took about 0.4 s of CPU against 0.65-0.9 s with the
 * Oniguruma (WebAssembly) engine and the plain grammars. Shell and Python are translated at load time
 * (their precompiled grammars differ from shiki's current ones); the output of all five is identical
 * to the Oniguruma engine's on every notebook of the lesson.
 */
const GRAMMARS: Record<string, () => LanguageInput> = {
  typescript: () => import("@shikijs/langs-precompiled/typescript"),
  javascript: () => import("@shikijs/langs-precompiled/javascript"),
  json: () => import("@shikijs/langs-precompiled/json"),
  shellscript: () => import("shiki/langs/shellscript.mjs"),
  python: () => import("shiki/langs/python.mjs"),
};

/*
 * Highlighting is most of a cold site build. Measured (session 4, Node 20, prebuilt CLI, 2 shared cores):
 * on the 14 executed lessons and the 3 fixtures (137k characters of TypeScript), a cold
 * `tsnb site --no-execute` took 4.2 s of CPU, 0.75 s with highlighting switched off, against 7.0 s for
 * nbconvert; on the fixtures alone (451 characters) shiki's first highlights still cost ~0.3 s of the
 * ~0.75 s (compiling the grammar's regular expressions and warming the tokenizer). Shiki tokenizes once
 * per theme (with one theme ~60% of the time). So `site.render_vs_nbconvert <= 0.2` needs a cheaper
 * highlighter for TypeScript: one whose HTML is proven identical to this one's on every lesson cell.
 */
let shared: Promise<HighlighterCore> | undefined;

/**
 * The one shiki highlighter of the process, created on first use with the two themes and the
 * JavaScript regex engine; grammars are added by {@link loadLanguages}.
 */
export function getHighlighter(): Promise<HighlighterCore> {
  shared ??= createHighlighterCore({
    themes: [import("shiki/themes/github-light.mjs"), import("shiki/themes/github-dark.mjs")],
    langs: [],
    engine: createJavaScriptRegexEngine(),
  });
  return shared;
}

/** The highlighted language a fence or notebook language name stands for, if any. */
export function languageOf(name: string | undefined): string | undefined {
  return ALIASES[(name ?? "").toLowerCase()];
}

/**
 * Load the grammars of these languages (names or aliases; unknown ones ignored) that the highlighter
 * does not have yet. {@link highlight} is synchronous (markdown-it calls it), so a page loads what it
 * will use before it renders.
 */
export async function loadLanguages(highlighter: HighlighterCore, names: Iterable<string>): Promise<void> {
  const loaded = new Set(highlighter.getLoadedLanguages());
  const wanted = new Set([...names].map(languageOf).filter((l): l is string => l !== undefined && !loaded.has(l)));
  if (wanted.size) await highlighter.loadLanguage(...[...wanted].map((l) => GRAMMARS[l]!()));
}

/**
 * Highlight `code` as `lang` into a `<pre class="shiki">` carrying both themes: colours for the light
 * theme inline, the dark theme's in `--shiki-dark` variables that the stylesheet switches to under
 * `prefers-color-scheme: dark`. An unknown language, or one not loaded, gives an escaped, unhighlighted block.
 */
export function highlight(highlighter: HighlighterCore, code: string, lang: string | undefined): string {
  const language = languageOf(lang);
  if (!language || !highlighter.getLoadedLanguages().includes(language))
    return `<pre class="shiki plain"><code>${escapeHtml(code)}</code></pre>`;
  return highlighter.codeToHtml(code, {
    lang: language,
    themes: { light: "github-light", dark: "github-dark" },
    defaultColor: "light",
  });
}
