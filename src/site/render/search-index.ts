import MiniSearch from "minisearch";
import type { Section } from "../types.ts";
import { pathUrl } from "./html.ts";

/** One searchable section of a page. */
export interface SearchDoc {
  id: number;
  href: string;
  title: string;
  heading: string;
  kind: string;
  text: string;
}

/** MiniSearch options shared by the build (indexing) and the browser (loading): they must match. */
export const SEARCH_OPTIONS = {
  fields: ["title", "heading", "text"],
  storeFields: ["href", "title", "heading", "kind"],
};

/** The sections of one page as search documents. */
export function pageDocs(startId: number, href: string, title: string, kind: string, sections: Section[]): SearchDoc[] {
  return sections.map((s, i) => ({
    id: startId + i,
    href: s.id ? `${pathUrl(href)}#${s.id}` : pathUrl(href),
    title,
    heading: s.heading,
    kind,
    text: s.text,
  }));
}

/**
 * The search index as a script that sets `window.TSNB_SEARCH`. A script, not JSON: a page opened
 * from file:// cannot fetch() a file, but it can load a <script src>. `<` is escaped so no text in
 * a notebook can close the script element.
 */
export function searchIndexScript(docs: SearchDoc[]): string {
  const search = new MiniSearch<SearchDoc>(SEARCH_OPTIONS);
  search.addAll(docs);
  const payload = JSON.stringify({ index: search.toJSON(), options: SEARCH_OPTIONS }).replace(/</g, "\\u003c");
  return `window.TSNB_SEARCH = ${payload};\n`;
}
