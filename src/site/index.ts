/**
 * The static lesson site, as a library (the CLI commands load their stage modules directly, so a
 * build served from the render cache never loads the highlighter this surface pulls in).
 * Stages: `build/` plans, executes, renders and writes a site; `render/` turns a notebook into HTML;
 * `serve/` serves a built site; `cli/` parses flags and reports.
 */
export { buildSite } from "./build/build-site.ts";
export { renderNotebook, renderNotebookDetailed, type RenderOptions } from "./render/render-notebook.ts";
export { serveSite, type ServeOptions, type SiteServer } from "./serve/serve.ts";
export type {
  Heading,
  PageStatus,
  RenderedNotebook,
  Section,
  SiteOptions,
  SitePage,
  SiteSummary,
  SourceNotebook,
  StaleReason,
} from "./types.ts";
