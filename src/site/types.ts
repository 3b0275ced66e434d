/**
 * The types the stages of `tsnb site` hand each other: the build plans pages ({@link SourceNotebook},
 * {@link StaleReason}), the renderer returns a {@link RenderedNotebook}, the writer reports a
 * {@link SiteSummary}. A leaf module: it imports no stage, so every stage (cli, build, render) can
 * depend on it without a cycle.
 */
import type { NotebookRun, ProgressEvent } from "../execute/index.ts";

/** One notebook the site will show. */
export interface SourceNotebook {
  kind: "lesson" | "exercise";
  /** Absolute path of the notebook in notebooks/ (or notebooks/exercises/). */
  source: string;
  /** File name without `.ipynb`, e.g. `03-locks`. */
  name: string;
  /** The page, relative to the site root: `03-locks.html` or `exercises/03-locks.html`. */
  href: string;
  /** The downloadable copy, relative to the site root. */
  download: string;
  /** The source relative to the project root, for the JupyterLab hint: `notebooks/03-locks.ipynb`. */
  relative: string;
}

/** Why a lesson must run again: its copy is missing, failed last time, or is older than its source or the helpers. */
export type StaleReason = "missing" | "failed before" | "source changed" | "helpers changed" | "forced";

/** A heading met while rendering a page: feeds the outline, the index's table of contents and search. */
export interface Heading {
  level: number;
  text: string;
  id: string;
}

/** A section of a page for the search index: the text under one heading. */
export interface Section {
  id: string;
  heading: string;
  text: string;
}

/** A notebook rendered to an HTML fragment, with what the page around it needs. */
export interface RenderedNotebook {
  /** The cells as an `<article>` fragment. */
  html: string;
  /** The first heading's text. */
  title: string;
  headings: Heading[];
  sections: Section[];
  /** Relative image paths the markdown refers to. */
  images: string[];
}

/** A link to a neighbouring page. */
export interface PageLink {
  href: string;
  title: string;
}

/** Options of `buildSite`. */
export interface SiteOptions {
  /** The project root. @default process.cwd() */
  root?: string;
  /** Lesson notebooks; exercises are in its `exercises/` folder. @default "<root>/notebooks" */
  notebooksDir?: string;
  /** Executed lesson copies. @default "<root>/build/executed" */
  executedDir?: string;
  /** The site. @default "<root>/build/site" */
  outDir?: string;
  /** Execute lessons whose executed copy is out of date. `false` renders what is stored. @default true */
  execute?: boolean;
  /** Execute every lesson, current or not. @default false */
  force?: boolean;
  /**
   * Folders every lesson depends on: a copy older than any file in them is out of date.
   * @default ["<root>/kernel-helpers"]
   */
  dependsOn?: string[];
  /**
   * Notebooks executed in parallel. @default 1: lessons measure speed-ups and start costs, and a
   * second kernel competing for the cores would put wrong figures on the pages.
   */
  jobs?: number;
  /** Per-cell timeout in seconds for execution. @default the executor's (120) */
  timeoutSec?: number;
  /** The site's title. @default "Lesson 18 · Concurrent Programming" */
  title?: string;
  /**
   * Whether the notebooks are the project's own: their HTML, SVG and JavaScript outputs are kept.
   * `false` sanitises them (a site built from learners' notebooks). @default true
   */
  trusted?: boolean;
  /**
   * Where rendered pages are kept between builds (`false`: no cache, every page rendered).
   * @default "<root>/build/cache/site"
   */
  cacheDir?: string | false;
  signal?: AbortSignal;
  /** Which lessons will execute and why, before any runs. */
  onPlan?: (stale: { notebook: SourceNotebook; reason: StaleReason }[]) => void;
  /** Executor progress (per notebook and cell). */
  onExecuteProgress?: (event: ProgressEvent) => void;
}

/**
 * How one page came about. `executed`: run now; `cached`: from an up-to-date executed copy; `stored`:
 * rendered as stored (an exercise, or a lesson not executed); `failed`: execution failed, rendered
 * with the outputs it got; `invalid`: not a readable notebook, no page.
 */
export type PageStatus = "executed" | "cached" | "stored" | "failed" | "invalid";

/** One notebook's page in the built site. */
export interface SitePage {
  kind: "lesson" | "exercise";
  /** Absolute path of the source notebook. */
  source: string;
  /** The source relative to the project root. */
  relative: string;
  /** The page relative to the site root. */
  href: string;
  title: string;
  headings: Heading[];
  status: PageStatus;
  /** Why the lesson was out of date (whether or not it was then executed). */
  stale?: StaleReason;
  /** The file the page was rendered from (the executed copy or the source). */
  renderedFrom?: string;
  error?: string;
  run?: NotebookRun;
}

/** What `buildSite` did. */
export interface SiteSummary {
  outDir: string;
  /** Absolute path of index.html, and its file:// URL. */
  index: string;
  url: string;
  pages: SitePage[];
  /** Pages that failed to execute or could not be read. */
  failed: number;
  /** Pages taken from the render cache instead of rendered. */
  cacheHits: number;
  elapsedMs: number;
}
