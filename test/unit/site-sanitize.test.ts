import type * as nbformat from "@jupyterlab/nbformat";
import { describe, expect, it } from "vitest";
import { codeCell, markdownCell, newNotebook } from "../../src/notebook/index.ts";
import { renderNotebook } from "../../src/site/render/render-notebook.ts";
import { sanitize } from "../../src/site/render/sanitize.ts";

const HOSTILE_HTML = [
  '<script>alert("html")</script><b>kept</b>',
  '<img src="x" onerror="alert(1)">',
  '<a href="javascript:alert(2)">link</a>',
  '<a href="JaVaScRiPt&colon;alert(3)">link2</a>',
  '<iframe src="https://example.org"></iframe>',
  '<div onclick="alert(4)" style="color: red">div</div>',
  '<object data="x.swf"></object><embed src="x.swf"><form action="javascript:alert(5)"><input></form>',
  "<style>body{display:none}</style>",
].join("\n");
const HOSTILE_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(6)"><script>alert(7)</script><a xlink:href="javascript:alert(8)"><rect width="5" height="5" fill="red" onmouseover="alert(9)"/></a><foreignObject><iframe src="x"></iframe></foreignObject><linearGradient id="g"><stop offset="0" stop-color="blue"/></linearGradient></svg>';
const HOSTILE_MD =
  'Hi <script>alert(10)</script> <img src=x onerror="alert(11)"> [click](javascript:alert(12)) ![i](javascript:alert(13))';

function cell(): nbformat.ICodeCell {
  return {
    ...codeCell("display(x)"),
    outputs: [
      { output_type: "display_data", data: { "text/html": HOSTILE_HTML, "text/plain": "h" }, metadata: {} },
      { output_type: "display_data", data: { "image/svg+xml": HOSTILE_SVG }, metadata: {} },
      { output_type: "display_data", data: { "text/markdown": HOSTILE_MD }, metadata: {} },
    ],
  };
}

function dangers(html: string): string[] {
  const found: string[] = [];
  if (/<script/i.test(html)) found.push("script");
  if (/<[^>]*\son[a-z]+\s*=/i.test(html)) found.push("event handler");
  if (/(href|src)\s*=\s*["']?\s*javascript/i.test(html)) found.push("javascript: URL");
  if (/<(iframe|object|embed|form|foreignobject|style)\b/i.test(html)) found.push("embedding tag");
  return found;
}

describe("untrusted rendering (a learner's submission)", () => {
  it("strips scripts, event handlers, javascript: URLs and iframes from HTML, SVG and markdown outputs", async () => {
    const html = await renderNotebook(newNotebook([cell(), markdownCell(HOSTILE_MD)]), { trusted: false });
    expect(dangers(html)).toEqual([]);
    expect(html).toContain("<b>kept</b>");
    expect(html).toContain('<div style="color:red">div</div>');
    expect(html).toContain('<rect width="5" height="5" fill="red"></rect>');
    expect(html).toContain("viewbox=");
    expect(html).toContain('<stop offset="0" stop-color="blue"');
    // raw HTML in untrusted markdown is shown as text, never parsed
    expect(html).toContain("&lt;script&gt;alert(10)&lt;/script&gt;");
  });

  it("keeps everything in a trusted (project) notebook", async () => {
    const html = await renderNotebook(newNotebook([cell(), markdownCell(HOSTILE_MD)]), { trusted: true });
    expect(dangers(html)).toEqual(expect.arrayContaining(["script", "event handler", "embedding tag"]));
    expect(html).toContain('onload="alert(6)"');
  });

  it("sanitize() keeps http(s) and data: images and marks links noopener", () => {
    const out = sanitize(
      '<a href="https://example.org">x</a><img src="data:image/png;base64,AAAA"><img src="http://h/i.png">',
    );
    expect(out).toBe(
      '<a href="https://example.org" rel="noopener noreferrer nofollow">x</a><img src="data:image/png;base64,AAAA" /><img src="http://h/i.png" />',
    );
  });
});
