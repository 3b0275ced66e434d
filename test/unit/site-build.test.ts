import { cp, mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import MiniSearch from "minisearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeCell, markdownCell, newNotebook, writeNotebook } from "../../src/notebook/index.ts";
import { buildSite } from "../../src/site/build/build-site.ts";
import type { SiteSummary } from "../../src/site/types.ts";
import { summaryTable } from "../../src/site/cli/report.ts";
import { MARKER } from "../../src/site/build/site-dir.ts";

const FIXTURES = path.resolve("test/fixtures/site/notebooks");
const SOLUTION = "return Atomics.add(this.cells, 0, by) + SECRET_SOLUTION_TOKEN;";

let root: string;
let summary: SiteSummary;
const site = (...parts: string[]) => path.join(root, "build/site", ...parts);
const read = (...parts: string[]) => readFile(site(...parts), "utf8");
const hrefs = (html: string) => [...html.matchAll(/href="([^"#]+)(?:#[^"]*)?"/g)].map((m) => m[1]!);

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "tsnb-site-"));
  await cp(FIXTURES, path.join(root, "notebooks"), { recursive: true });
  // An instructor's version put among the exercises by mistake, with outputs: the page must show neither.
  const instructor = {
    ...codeCell(`export function add(by: number) {\n  // BEGIN SOLUTION\n  ${SOLUTION}\n  // END SOLUTION\n}`),
    execution_count: 3,
    outputs: [{ output_type: "stream" as const, name: "stdout" as const, text: "OUTPUT_OF_THE_SOLUTION\n" }],
  };
  await writeNotebook(
    path.join(root, "notebooks/exercises/02-adder.ipynb"),
    newNotebook([markdownCell("# Exercise: Adder"), instructor]),
  );
  await writeFile(path.join(root, "notebooks/04-broken.ipynb"), '{"cells": [');
  summary = await buildSite({ root, execute: false });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("buildSite without execution", () => {
  it("writes a page for every notebook and an index linking them in the lesson's order", async () => {
    const pages = summary.pages.map((p) => [p.href, p.kind, p.status]);
    expect(pages).toEqual([
      ["01-threads.html", "lesson", "stored"],
      ["02-timeline.html", "lesson", "stored"],
      ["03-async.html", "lesson", "stored"],
      ["04-broken.html", "lesson", "invalid"],
      ["exercises/01-safe-counter.html", "exercise", "stored"],
      ["exercises/02-adder.html", "exercise", "stored"],
    ]);
    const index = await read("index.html");
    const linked = hrefs(index);
    for (const p of summary.pages.filter((p) => p.status !== "invalid")) {
      expect(linked).toContain(p.href);
      await expect(stat(site(p.href))).resolves.toBeTruthy();
    }
    expect(linked.indexOf("01-threads.html")).toBeLessThan(linked.indexOf("02-timeline.html"));
    expect(linked.indexOf("03-async.html")).toBeLessThan(linked.indexOf("exercises/01-safe-counter.html"));
  });

  it("lists each lesson's sections in the index's table of contents", async () => {
    const index = await read("index.html");
    const lesson = summary.pages[0]!;
    const h2 = lesson.headings.find((h) => h.level === 2)!;
    expect(index).toContain(`href="01-threads.html#${h2.id}"`);
  });

  it("reports an unreadable notebook by name without stopping the build", async () => {
    const broken = summary.pages.find((p) => p.href === "04-broken.html")!;
    expect(broken.error).toContain("04-broken.ipynb");
    expect(summary.failed).toBe(1);
    expect(await read("index.html")).toMatch(/04-broken\.ipynb <span class="failed">\(invalid notebook\)/);
    await expect(stat(site("04-broken.html"))).rejects.toThrow();
  });

  it("chains previous/next links from the index through every page", async () => {
    const order = [
      "index.html",
      "01-threads.html",
      "02-timeline.html",
      "03-async.html",
      "exercises/01-safe-counter.html",
      "exercises/02-adder.html",
    ];
    for (let i = 1; i < order.length; i += 1) {
      const html = await read(order[i]!);
      const prev = /<a class="prev" rel="prev" href="([^"]+)"/.exec(html)?.[1];
      const depth = order[i]!.includes("/") ? "../" : "";
      expect(prev).toBe(depth + order[i - 1]);
      const next = /<a class="next" rel="next" href="([^"]+)"/.exec(html)?.[1];
      expect(next).toBe(order[i + 1] ? depth + order[i + 1] : undefined);
    }
  });

  it("renders exercises as the learner gets them: no outputs, no solution, in the page and the download", async () => {
    const page = await read("exercises/02-adder.html");
    const download = await read("exercises/02-adder.ipynb");
    for (const text of [page, download]) {
      expect(text).not.toContain("SECRET_SOLUTION_TOKEN");
      expect(text).not.toContain("OUTPUT_OF_THE_SOLUTION");
      expect(text).toContain("not implemented");
    }
    expect(JSON.parse(download).cells[1].execution_count).toBeNull();
    expect(page).toContain("npx tsnb grade notebooks/exercises/02-adder.ipynb");
  });

  it("offers each notebook for download and copies the images its markdown uses", async () => {
    const page = await read("01-threads.html");
    expect(page).toMatch(/<a class="download" href="01-threads\.ipynb" download>/);
    expect(await read("01-threads.ipynb")).toBe(await readFile(path.join(root, "notebooks/01-threads.ipynb"), "utf8"));
    expect(await read("exercises/01-safe-counter.html")).toMatch(
      /href="\.\.\/exercises\/01-safe-counter\.ipynb" download/,
    );
    expect(page).toContain("jupyter lab notebooks/01-threads.ipynb");
  });

  it("points every relative link and asset of every page at a file that exists", async () => {
    for (const p of ["index.html", ...summary.pages.filter((p) => p.status !== "invalid").map((p) => p.href)]) {
      const html = await read(p);
      const refs = [...html.matchAll(/(?:href|src)="([^"#:]+)(?:#[^"]*)?"/g)].map((m) => m[1]!);
      for (const ref of refs)
        await expect(stat(path.resolve(path.dirname(site(p)), ref)), `${p} -> ${ref}`).resolves.toBeTruthy();
    }
  });

  it("writes a search index that the browser build of MiniSearch loads and queries", async () => {
    const script = await read("assets/search-index.js");
    const holder: { TSNB_SEARCH?: { index: unknown; options: ConstructorParameters<typeof MiniSearch>[0] } } = {};
    new Function("window", script)(holder);
    const index = MiniSearch.loadJS(holder.TSNB_SEARCH!.index as never, holder.TSNB_SEARCH!.options);
    const hits = index.search("Safe Counter", { prefix: true });
    expect(hits[0]?.["href"]).toMatch(/^exercises\/01-safe-counter\.html/);
    expect(script).not.toMatch(/<\/script/i);
  });

  it("refuses to replace a folder it did not make, and replaces its own", async () => {
    const foreign = path.join(root, "mine");
    await mkdir(foreign);
    await writeFile(path.join(foreign, "thesis.tex"), "precious");
    await expect(buildSite({ root, execute: false, outDir: foreign })).rejects.toThrow(/refusing to replace .*mine/);
    expect(await readFile(path.join(foreign, "thesis.tex"), "utf8")).toBe("precious");
    await writeFile(site("stale-file.html"), "old");
    await buildSite({ root, execute: false });
    await expect(stat(site("stale-file.html"))).rejects.toThrow();
    await expect(stat(site(MARKER))).resolves.toBeTruthy();
  });
});

describe("the render cache", () => {
  it("renders only the pages whose notebook changed, with the same result", async () => {
    const first = await buildSite({ root, execute: false });
    const article = async (href: string) => /<article[^]*<\/article>/.exec(await read(href))?.[0];
    const before = await article("02-timeline.html");
    expect(before).toContain("deadlock detected");
    expect(first.cacheHits).toBe(5);
    await writeNotebook(path.join(root, "notebooks/03-async.ipynb"), newNotebook([markdownCell("# Async, rewritten")]));
    const second = await buildSite({ root, execute: false });
    expect(second.cacheHits).toBe(4);
    expect(await article("02-timeline.html")).toBe(before);
    expect(await read("02-timeline.html")).toContain("Async, rewritten"); // the next-page link follows the new title
    expect(await read("03-async.html")).toContain("Async, rewritten");
    const none = await buildSite({ root, execute: false, cacheDir: false });
    expect(none.cacheHits).toBe(0);
    expect(await article("02-timeline.html")).toBe(before);
  });
});

describe("lessons and their executed copies", () => {
  let project: string;
  beforeAll(async () => {
    project = await mkdtemp(path.join(os.tmpdir(), "tsnb-site-copies-"));
    await mkdir(path.join(project, "notebooks"), { recursive: true });
    await mkdir(path.join(project, "kernel-helpers"), { recursive: true });
    await mkdir(path.join(project, "build/executed"), { recursive: true });
    const source = newNotebook([markdownCell("# Lesson"), codeCell("1 + 1")]);
    await writeNotebook(path.join(project, "notebooks/01-a.ipynb"), source);
    const executed = newNotebook([
      markdownCell("# Lesson"),
      {
        ...codeCell("1 + 1"),
        execution_count: 1,
        outputs: [{ output_type: "stream", name: "stdout", text: "FROM_THE_EXECUTED_COPY\n" }],
      },
    ]);
    await writeNotebook(path.join(project, "build/executed/01-a.ipynb"), executed);
    await writeFile(path.join(project, "kernel-helpers/index.ts"), "export {};\n");
  });
  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });
  const at = (file: string, seconds: number) => utimes(path.join(project, file), seconds, seconds);

  it("renders a current copy (newer than the source and the helpers) without executing", async () => {
    await at("notebooks/01-a.ipynb", 1000);
    await at("kernel-helpers/index.ts", 1000);
    await at("build/executed/01-a.ipynb", 2000);
    const s = await buildSite({ root: project });
    expect(s.pages[0]).toMatchObject({
      status: "cached",
      renderedFrom: path.join(project, "build/executed/01-a.ipynb"),
    });
    expect(s.pages[0]!.stale).toBeUndefined();
    const html = await readFile(path.join(s.outDir, "01-a.html"), "utf8");
    expect(html).toContain("FROM_THE_EXECUTED_COPY");
    expect(html).toMatch(/href="01-a\.outputs\.ipynb" download>with outputs/);
  });

  it("ignores a change to the helpers' README", async () => {
    await writeFile(path.join(project, "kernel-helpers/README.md"), "# helpers\n");
    await at("notebooks/01-a.ipynb", 1000);
    await at("kernel-helpers/index.ts", 1000);
    await at("build/executed/01-a.ipynb", 2000);
    await at("kernel-helpers/README.md", 3000);
    const s = await buildSite({ root: project, execute: false });
    expect(s.pages[0]).toMatchObject({ status: "cached" });
    expect(s.pages[0]!.stale).toBeUndefined();
  });

  it("under --no-execute shows a copy that only the helpers made out of date, marked as such", async () => {
    await at("notebooks/01-a.ipynb", 1000);
    await at("build/executed/01-a.ipynb", 2000);
    await at("kernel-helpers/index.ts", 3000);
    const s = await buildSite({ root: project, execute: false });
    expect(s.pages[0]).toMatchObject({
      status: "cached",
      stale: "helpers changed",
      renderedFrom: path.join(project, "build/executed/01-a.ipynb"),
    });
    expect(await readFile(path.join(s.outDir, "01-a.html"), "utf8")).toContain("FROM_THE_EXECUTED_COPY");
    expect(summaryTable(s, path.join(project, "notebooks"))).toContain("01-a.ipynb   not re-run (helpers changed)");
  });

  it("under --no-execute renders the source of a lesson changed since its copy", async () => {
    await at("kernel-helpers/index.ts", 1000);
    await at("build/executed/01-a.ipynb", 2000);
    await at("notebooks/01-a.ipynb", 3000);
    const s = await buildSite({ root: project, execute: false });
    expect(s.pages[0]).toMatchObject({
      status: "stored",
      stale: "source changed",
      renderedFrom: path.join(project, "notebooks/01-a.ipynb"),
    });
    expect(await readFile(path.join(s.outDir, "01-a.html"), "utf8")).not.toContain("FROM_THE_EXECUTED_COPY");
  });
});
