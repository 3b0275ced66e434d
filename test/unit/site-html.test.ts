// The site's one attribute builder and one data embedder: every value escaped, no handler, no unsafe
// URL, no image data that is not what it claims.
import { describe, expect, it } from "vitest";
import { attributes, embedData, escapeHtml, isSafeUrl, openTag, pathUrl } from "../../src/site/render/html.ts";
import { renderNotebook } from "../../src/site/render/render-notebook.ts";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

describe("escapeHtml", () => {
  it("escapes the five characters that end text or an attribute", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;");
  });
});

describe("attributes", () => {
  it("writes escaped values, bare booleans, finite numbers and token lists", () => {
    expect(attributes({ title: `"><script>x</script>`, download: true, hidden: false, width: 40, class: ["a", "b"] })).toBe(
      ` title="&#34;&#62;&#60;script&#62;x&#60;/script&#62;" download width="40" class="a b"`,
    );
  });

  it("drops undefined, null, false, NaN and Infinity, and an empty token list", () => {
    expect(attributes({ a: undefined, b: null, c: false, d: Number.NaN, e: Infinity, class: [] })).toBe("");
  });

  it("drops class tokens that hold whitespace (a tag `a b\"` is not two classes and no attribute)", () => {
    expect(attributes({ class: ["cell", "celltag_a b", "celltag_ok", "", `x"\nonload="y`] })).toBe(` class="cell celltag_ok"`);
  });

  it("never writes an event handler, srcdoc, or a name that is not a plain name", () => {
    expect(attributes({ onclick: "x", ONLOAD: "x", onerror: "x", srcdoc: "<script>", "a b": "x", 'x"y': "x", "": "x" })).toBe("");
    expect(attributes({ "data-cell-index": 3, "aria-label": "l", "xlink:href": "#a", "http-equiv": "x" })).toBe(
      ` data-cell-index="3" aria-label="l" xlink:href="#a" http-equiv="x"`,
    );
  });

  it("keeps safe URLs in URL attributes and drops the rest", () => {
    for (const ok of ["03-locks.html", "../index.html#top", "#cell-2", "https://nodejs.org/", "http://x/y?z=1", "mailto:a@b.c", `data:image/png;base64,${PNG}`])
      expect(attributes({ href: ok })).toBe(` href="${escapeHtml(ok)}"`);
    for (const bad of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      " javascript:alert(1)",
      "\u0001javascript:alert(1)",
      "java\tscript:alert(1)",
      "java\nscript:alert(1)",
      "vbscript:msgbox(1)",
      "data:text/html,<script>alert(1)</script>",
      "data:image/png;base64,not base64!",
      "data:image/svg+xml,<svg onload=alert(1)>",
      "file:///etc/passwd",
      "//evil.example/x.js",
      "attachment:x.png",
    ]) {
      expect(isSafeUrl(bad)).toBe(false);
      expect(attributes({ src: bad, href: bad, "xlink:href": bad, action: bad })).toBe("");
    }
  });
});

describe("openTag", () => {
  it("builds a tag through attributes and refuses a tag name that is not one", () => {
    expect(openTag("div", { class: ["cell", "code"], id: "cell-1", "data-cell-index": 0 })).toBe(
      `<div class="cell code" id="cell-1" data-cell-index="0">`,
    );
    expect(() => openTag("img onerror=x", {})).toThrow(TypeError);
  });
});

describe("embedData", () => {
  it("embeds valid base64 image data, line breaks removed (nbformat may split it)", () => {
    expect(embedData("image/png", PNG)).toBe(`data:image/png;base64,${PNG}`);
    expect(embedData("image/png", `${PNG.slice(0, 20)}\n${PNG.slice(20)}\n`)).toBe(`data:image/png;base64,${PNG}`);
    expect(embedData("image/jpeg", [PNG.slice(0, 20), PNG.slice(20)])).toBe(`data:image/jpeg;base64,${PNG}`);
    expect(embedData("IMAGE/PNG", PNG)).toBe(`data:image/png;base64,${PNG}`);
  });

  it("refuses data that is not base64: a quote, markup, bad padding, nothing", () => {
    for (const bad of [`${PNG}"><script>alert(1)</script>`, `' onerror='alert(1)`, "abc", "ab=c", "====", "", "a b c d e"])
      expect(embedData("image/png", bad)).toBeUndefined();
  });

  it("refuses a media type that is not an image type, or that would break out of the URL", () => {
    for (const mime of ["text/html", "application/javascript", "image/png\" onerror=\"x", "image/png;base64,AAAA", "image/", "image/svg xml"])
      expect(embedData(mime, "AAAA")).toBeUndefined();
  });

  it("refuses values that are not text", () => {
    for (const value of [undefined, null, 42, { a: 1 }, [1, 2]]) expect(embedData("image/png", value)).toBeUndefined();
  });

  it("embeds SVG text percent-encoded: no quote or markup survives into the attribute", () => {
    const url = embedData("image/svg+xml", `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`)!;
    expect(url.startsWith("data:image/svg+xml;charset=utf-8,%3Csvg")).toBe(true);
    expect(url).not.toMatch(/["<>\s]/);
    expect(isSafeUrl(url)).toBe(true);
  });
});

describe("pathUrl", () => {
  it("percent-encodes each segment of a page path, so a file name is never a scheme or a fragment", () => {
    expect(pathUrl("exercises/03-locks.html")).toBe("exercises/03-locks.html");
    expect(pathUrl("javascript:alert(1).html")).toBe("javascript%3Aalert(1).html");
    expect(isSafeUrl(pathUrl("javascript:alert(1).html"))).toBe(true);
    expect(pathUrl("a#b?c.html")).toBe("a%23b%3Fc.html");
  });
});

describe("renderers use them", () => {
  it("drops image data that is not base64, writes width/height only as numbers, and the file name escaped", async () => {
    const html = await renderNotebook(
      {
        cells: [
          {
            cell_type: "code",
            execution_count: "\"><script>alert(1)</script>" as unknown as number,
            metadata: { tags: ["ok", `"><b>`, "two words"] },
            outputs: [
              { output_type: "display_data", data: { "image/png": `${PNG}"><script>alert(2)</script>` }, metadata: {} },
              {
                output_type: "display_data",
                data: { "image/png": PNG },
                metadata: { "image/png": { width: "120", height: `9" onload="alert(3)` }, filenames: { "image/png": `out/"><i>.png` } },
              },
            ],
            source: "x",
          },
        ],
        metadata: {},
        nbformat: 4,
        nbformat_minor: 4,
      },
      { trusted: true },
    );
    expect(html).not.toMatch(/<script|onload=|<b>|<i>/);
    expect(html).toContain(`<div class="cell code celltag_ok celltag_&#34;&#62;&#60;b&#62;" id="cell-1" data-cell-index="0">`);
    expect(html).toContain(`[ ]:`);
    expect(html).toContain(`An image/png output whose data is not valid base64 was left out.`);
    expect(html).toContain(`<img src="data:image/png;base64,${PNG}" alt="output image &#34;&#62;&#60;i&#62;.png" width="120">`);
  });
});
