/** The relative links of a notebook's markdown, for the check that every linked file exists. */

/**
 * Targets of the markdown links `[text](target)` in `markdown`, without their `#anchor`, skipping in-page
 * anchors, URLs with a scheme (`https:`, `mailto:`) and anything inside code (fenced blocks, inline spans),
 * where `](` is often a regex or an index, not a link.
 */
export function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/(`+)[\s\S]*?\1/g, "");
  const out: string[] = [];
  for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!.split("#")[0]!;
    if (!target || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    out.push(decodeURI(target));
  }
  return out;
}
