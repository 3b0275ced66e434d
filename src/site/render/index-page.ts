import type { SitePage } from "../types.ts";
import { escapeHtml, openTag, pathUrl } from "./html.ts";

function entry(p: SitePage, withSections: boolean): string {
  const failed =
    p.status === "failed" || p.status === "invalid"
      ? ` <span class="failed">(${p.status === "failed" ? "failed to execute" : "invalid notebook"})</span>`
      : "";
  if (p.status === "invalid") return `<li>${escapeHtml(p.relative)}${failed}</li>`;
  const sections = withSections ? p.headings.filter((h) => h.level === 2) : [];
  const sub = sections.length
    ? `<ul>${sections.map((h) => `<li>${openTag("a", { href: `${pathUrl(p.href)}#${h.id}` })}${escapeHtml(h.text)}</a></li>`).join("")}</ul>`
    : "";
  return `<li>${openTag("a", { href: pathUrl(p.href) })}${escapeHtml(p.title)}</a>${failed}${sub}</li>`;
}

/** The index page's body: the lesson's table of contents (each lesson with its sections), then the exercises. */
export function indexBody(siteTitle: string, pages: SitePage[]): string {
  const lessons = pages.filter((p) => p.kind === "lesson");
  const exercises = pages.filter((p) => p.kind === "exercise");
  const lessonList = lessons.length
    ? `<ol class="toc lessons">${lessons.map((p) => entry(p, true)).join("")}</ol>`
    : "<p>No lesson notebooks yet (notebooks/NN-*.ipynb).</p>";
  const exerciseList = exercises.length
    ? `<ol class="toc exercises">${exercises.map((p) => entry(p, false)).join("")}</ol>`
    : "<p>No exercises yet (notebooks/exercises/*.ipynb).</p>";
  return `<article class="notebook index">
<div class="hero"><h1 id="top">${escapeHtml(siteTitle)}</h1>
<p>Concurrency on Node.js in TypeScript notebooks: worker threads, child processes, shared memory and Atomics, queues, pools and async I/O, ported from the Python lesson.</p></div>
<h2 id="lessons">Lessons</h2>
${lessonList}
<h2 id="exercises">Exercises</h2>
${exerciseList}
<h2 id="run-it-yourself">Run it yourself</h2>
<div class="howto">
<p><strong>In this browser</strong>: every lesson page has a Run button on each cell, <em>Run all</em> and <em>Restart</em>. Cells run here, in a Web Worker, with real threads (Web Workers sharing memory): edit a cell and run it again. Live cells need the pages served over HTTP: <code>npx tsnb serve</code>, or any static host (the site's service worker makes it cross-origin isolated). Cells that start processes or servers say so, and run in JupyterLab.</p>
<p>Install the TypeScript kernel once, then open any notebook in JupyterLab:</p>
<pre><code>npm ci
npx tsnb kernel install --user
jupyter lab notebooks/</code></pre>
<p>Check an exercise with <code>npx tsnb grade notebooks/exercises/&lt;exercise&gt;.ipynb</code>; rebuild these pages with <code>npm start</code>.</p>
</div>
</article>`;
}
