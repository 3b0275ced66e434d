import type * as nbformat from "@jupyterlab/nbformat";
import { describe, expect, it } from "vitest";
import { codeCell, markdownCell, newNotebook, readNotebook } from "../../src/notebook/index.ts";
import { renderNotebook, renderNotebookDetailed } from "../../src/site/render/render-notebook.ts";

const ESC = "\x1b";
const render = (cells: nbformat.ICell[], trusted = true) => renderNotebook(newNotebook(cells), { trusted });
const withOutputs = (outputs: nbformat.IOutput[], source = "x"): nbformat.ICodeCell => ({
  ...codeCell(source),
  execution_count: 7,
  outputs,
});

describe("markdown cells", () => {
  it("renders GFM tables, code spans and emphasis", async () => {
    const html = await render([markdownCell("| a | b |\n|---|:-:|\n| `x<y` | **y** |")]);
    expect(html).toContain("<table>");
    expect(html).toContain("<th>a</th>");
    expect(html).toContain('<td style="text-align:center"><strong>y</strong></td>');
    expect(html).toContain("<code>x&lt;y</code>");
  });

  it("typesets inline and display math with KaTeX at build time", async () => {
    const html = await render([markdownCell("Inline $a_1^2$ and\n\n$$\\frac{1}{2}$$")]);
    expect(html).toMatch(/<eq><span class="katex">.*<annotation encoding="application\/x-tex">a_1\^2<\/annotation>/s);
    expect(html).toMatch(/<span class="katex-display">.*<mfrac>/s);
    expect(html).not.toContain("$$");
  });

  it("gives headings unique ids and anchors, and takes the title from the first heading", async () => {
    const nb = newNotebook([markdownCell("# Threads & Workers\n\n## Locks\n\n## Locks")]);
    const r = await renderNotebookDetailed(nb, { trusted: true });
    expect(r.title).toBe("Threads & Workers");
    expect(r.headings.map((h) => h.id)).toEqual(["threads-workers", "locks", "locks-1"]);
    expect(r.html).toContain('<h2 id="locks-1">Locks<a class="anchor" href="#locks-1"');
    expect(r.sections.map((s) => s.heading)).toEqual(["Threads & Workers", "Locks", "Locks"]);
  });

  it("inlines attachment images, records relative images and points notebook links at pages", async () => {
    const cell: nbformat.IMarkdownCell = {
      ...markdownCell("![dot](attachment:dot.png) ![pic](img/p.png) [next](02-x.ipynb#part)"),
      attachments: { "dot.png": { "image/png": "iVBORw0KGgo=" } },
    };
    const r = await renderNotebookDetailed(newNotebook([cell]), { trusted: true });
    expect(r.html).toContain('src="data:image/png;base64,iVBORw0KGgo="');
    expect(r.html).toContain('href="02-x.html#part"');
    expect(r.images).toEqual(["img/p.png"]);
  });

  it("highlights fenced TypeScript in markdown with both themes", async () => {
    const html = await render([markdownCell("```ts\nconst a: number = 1;\n```")]);
    expect(html).toMatch(/<pre class="shiki shiki-themes github-light github-dark"[^>]*><code>/);
    expect(html).toContain("--shiki-dark:");
  });
});

describe("code cells", () => {
  it("highlights TypeScript at build time and shows the execution count", async () => {
    const html = await render([withOutputs([], "const n: number = 1;")]);
    expect(html).toContain('<div class="prompt" aria-hidden="true">[7]:</div>');
    expect(html).toMatch(/<span style="color:#D73A49;--shiki-dark:#F97583">const<\/span>/);
  });

  it("renders stdout and stderr streams with ANSI colours as classes, merged and with carriage returns applied", async () => {
    const html = await render([
      withOutputs([
        { output_type: "stream", name: "stdout", text: `${ESC}[32mok${ESC}[0m a` },
        { output_type: "stream", name: "stdout", text: "b\n10%\r100%\n" },
        { output_type: "stream", name: "stderr", text: `${ESC}[1;33mwarn${ESC}[0m <x>\n` },
      ]),
    ]);
    expect(html).toContain(
      '<div class="output stream stdout"><pre><span class="ansi-green-fg">ok</span> ab\n100%\n</pre></div>',
    );
    expect(html).toContain(
      '<div class="output stream stderr"><pre><span class="ansi-yellow-fg ansi-bold">warn</span> &#60;x&#62;\n</pre></div>',
    );
  });

  it("renders an error's ANSI traceback", async () => {
    const html = await render([
      withOutputs([
        {
          output_type: "error",
          ename: "Error",
          evalue: "boom",
          traceback: [`${ESC}[31mError: boom${ESC}[0m`, "    at f:1:2"],
        },
      ]),
    ]);
    expect(html).toContain(
      '<div class="output error" role="alert"><pre><span class="ansi-red-fg">Error: boom</span>\n    at f:1:2</pre></div>',
    );
  });

  it("renders each rich mime type", async () => {
    const bundle = (data: nbformat.IMimeBundle, metadata: nbformat.OutputMetadata = {}): nbformat.IDisplayData => ({
      output_type: "display_data",
      data,
      metadata,
    });
    const html = await render([
      withOutputs([
        { output_type: "execute_result", execution_count: 7, data: { "text/plain": "42" }, metadata: {} },
        bundle({ "text/html": "<b>hi</b>", "text/plain": "hi" }),
        bundle({ "text/markdown": "**md**", "text/plain": "md" }),
        bundle({
          "image/svg+xml": '<svg width="1" height="1"><rect width="1" height="1"/></svg>',
          "text/plain": "svg",
        }),
        bundle({ "image/png": "iVBORw0KGgo=\n", "text/plain": "png" }, { "image/png": { width: 32, height: 16 } }),
        bundle({ "image/jpeg": "/9j/4A==" }),
        bundle({ "text/latex": "$$x^2$$" }),
        bundle({ "application/json": { a: 1 } }),
      ]),
    ]);
    expect(html).toContain('<div class="output result"><pre>42</pre></div>');
    expect(html).toContain('<div class="output display"><div class="html"><b>hi</b></div></div>');
    expect(html).toContain('<div class="markdown"><p><strong>md</strong></p>\n</div>');
    expect(html).toContain('<div class="svg"><svg width="1" height="1"><rect width="1" height="1"/></svg></div>');
    expect(html).toContain('<img src="data:image/png;base64,iVBORw0KGgo=" alt="output image" width="32" height="16">');
    expect(html).toContain('<img src="data:image/jpeg;base64,/9j/4A==" alt="output image">');
    expect(html).toMatch(/<div class="latex"><span class="katex-display">.*<msup><mi>x<\/mi><mn>2<\/mn><\/msup>/s);
    expect(html).toContain('<pre class="json">{\n  &#34;a&#34;: 1\n}</pre>');
    expect(html).not.toContain(">hi</pre>");
  });

  it("shows an updated display in its final state, where it was first displayed", async () => {
    const html = await render([
      withOutputs([
        {
          output_type: "display_data",
          data: { "text/plain": "0%" },
          metadata: {},
          transient: { display_id: "bar" },
        } as nbformat.IDisplayData,
      ]),
      withOutputs([
        { output_type: "stream", name: "stdout", text: "working\n" },
        {
          output_type: "update_display_data",
          data: { "text/plain": "100%" },
          metadata: {},
          transient: { display_id: "bar" },
        } as nbformat.IDisplayUpdate,
      ]),
    ]);
    expect(html).toContain("<pre>100%</pre>");
    expect(html).not.toContain("<pre>0%</pre>");
    expect(html.indexOf("100%")).toBeLessThan(html.indexOf("working"));
  });

  it("runs application/javascript only in a trusted notebook", async () => {
    const cell = withOutputs([
      {
        output_type: "display_data",
        data: { "application/javascript": "window.x = 1 </script>", "text/plain": "js" },
        metadata: {},
      },
    ]);
    expect(await render([cell], true)).toContain("<script>window.x = 1 <\\/script></script>");
    const untrusted = await render([cell], false);
    expect(untrusted).not.toContain("<script");
    expect(untrusted).toContain("<pre>js</pre>");
  });
});

describe("the site fixtures", () => {
  it("render every output type of the fixture lesson", async () => {
    const nb = await readNotebook("test/fixtures/site/notebooks/01-threads.ipynb");
    const r = await renderNotebookDetailed(nb, { trusted: true });
    for (const marker of [
      'class="output stream stdout"',
      'class="output stream stderr"',
      'class="output result"',
      'class="html"',
      'class="markdown"',
      "data:image/png;base64,",
      'class="progress-final"',
      "<table>",
      'class="katex"',
    ]) {
      expect(r.html).toContain(marker);
    }
    expect(r.html).toContain("progress 100%\n");
    expect(r.html).not.toContain("progress 10%");
  });
});
