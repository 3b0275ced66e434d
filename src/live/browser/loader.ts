/**
 * The live lesson's page script (the only one a page loads before Run is pressed): Run buttons on each code
 * cell, "Run all" and "Restart" per page, cells editable in place. The first Run starts the kernel worker
 * (kernel.js: the transpiler loads then, not before). On a plain static host it registers the service worker
 * that makes the page cross-origin isolated (live-sw.js); from file:// the buttons say how to go live.
 */
import type { FromKernel, ToKernel } from "./kernel/protocol";
import { appendOutput } from "./loader/outputs";

const EMULATED = "node:worker_threads, node:os, node:perf_hooks, node:timers/promises, node:events, node:util, node:path";
const NEEDS_NODE = "node:child_process, node:fs, node:net, node:http";

interface Cell {
  index: number;
  element: HTMLElement;
  code: HTMLElement;
  button: HTMLButtonElement;
  prompt: HTMLElement | null;
  /** The stored outputs' container; made at the first run of a cell that had none (exercise stubs). */
  outputs: HTMLElement | null;
  ran: boolean;
}

const script = document.currentScript as HTMLScriptElement | null;
const assets = new URL(".", script?.src ?? location.href);
const siteRoot = new URL("../../", assets);

function isolateWithServiceWorker(): void {
  // The coi-serviceworker technique: a service worker adds COOP/COEP to every response of this site, so a plain
  // static host gets SharedArrayBuffer; the page reloads once to be served through it.
  if (crossOriginIsolated || !window.isSecureContext || !("serviceWorker" in navigator) || location.protocol === "file:") return;
  const key = "tsnb-live-isolation-reload";
  navigator.serviceWorker
    .register(new URL("live-sw.js", siteRoot).href)
    .then(async (registration) => {
      await navigator.serviceWorker.ready;
      if (navigator.serviceWorker.controller && crossOriginIsolated) return;
      if (sessionStorage.getItem(key)) return; // reloaded once already: do not loop
      sessionStorage.setItem(key, "1");
      if (registration.active) location.reload();
    })
    .catch(() => undefined);
}

function whyNotLive(): string | undefined {
  if (location.protocol === "file:")
    return "Live cells need the page served over HTTP: run `npx tsnb serve` in the course folder and open the address it prints (a page opened from a file may not start workers that share memory).";
  if (!crossOriginIsolated)
    return "Live cells need a cross-origin isolated page (for SharedArrayBuffer): serve the site with `npx tsnb serve`, or from localhost or https so its service worker can isolate it, then reload.";
  return undefined;
}

class LivePage {
  readonly cells: Cell[];
  readonly status: HTMLElement;
  kernel: Worker | undefined;
  ready: Promise<void> | undefined;
  nextId = 0;
  count = 0;
  handlers = new Map<number, (message: FromKernel) => void>();
  chain: Promise<unknown> = Promise.resolve();
  generation = 0;

  constructor(article: HTMLElement, elements: HTMLElement[]) {
    const bar = document.createElement("div");
    bar.className = "live-bar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Live cells");
    const runAll = document.createElement("button");
    runAll.type = "button";
    runAll.textContent = "Run all";
    runAll.title = "Run every cell of this page in your browser, in order";
    runAll.addEventListener("click", () => void this.runAll());
    const restart = document.createElement("button");
    restart.type = "button";
    restart.textContent = "Restart";
    restart.title = "A fresh runtime: stops a running cell (an endless loop, a deadlock) and forgets every variable";
    restart.addEventListener("click", () => this.restart());
    this.status = document.createElement("span");
    this.status.className = "live-status";
    this.status.setAttribute("role", "status");
    this.status.textContent = "Cells run in your browser: edit one and press Run.";
    const note = document.createElement("details");
    note.className = "live-note";
    note.innerHTML = "<summary>How it runs</summary>";
    const p = document.createElement("p");
    p.textContent = `Cells run in a Web Worker with tslab's semantics (top-level await, declarations shared between cells); threads are real Web Workers sharing memory. Emulated Node modules: ${EMULATED}. Not available in a browser (those cells say so): ${NEEDS_NODE}, and processes. For those, open the notebook in JupyterLab or run \`npx tsnb run\`.`;
    note.append(p);
    bar.append(runAll, restart, this.status, note);
    article.prepend(bar);
    this.cells = elements.map((element, index) => this.#cell(element, index));
  }

  #cell(element: HTMLElement, index: number): Cell {
    const input = element.querySelector<HTMLElement>(".input")!;
    const code = input.querySelector<HTMLElement>("pre code") ?? input.querySelector<HTMLElement>("pre")!;
    code.setAttribute("contenteditable", "plaintext-only");
    code.setAttribute("spellcheck", "false");
    code.setAttribute("aria-label", `Code of cell ${index + 1} (editable)`);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "live-run";
    button.textContent = "▶";
    button.setAttribute("aria-label", `Run cell ${index + 1}`);
    button.title = "Run this cell (and the cells above it that have not run yet)";
    input.prepend(button);
    const outputs = element.querySelector<HTMLElement>(".outputs");
    const cell: Cell = { index, element, code, button, prompt: element.querySelector(".prompt"), outputs, ran: false };
    button.addEventListener("click", () => void this.runTo(index));
    return cell;
  }

  #explain(): boolean {
    const why = whyNotLive();
    if (why) this.status.textContent = why;
    return why === undefined;
  }

  #start(): Promise<void> {
    if (this.ready) return this.ready;
    const started = performance.now();
    this.status.textContent = "Starting the runtime…";
    const kernel = new Worker(new URL("kernel.js", assets).href, { name: "kernel" });
    this.kernel = kernel;
    this.ready = new Promise((resolve) => {
      kernel.onmessage = (event: MessageEvent<FromKernel>) => {
        const message = event.data;
        if (message.t === "ready") {
          this.status.textContent = `Runtime ready in ${Math.round(performance.now() - started)} ms.`;
          resolve();
          return;
        }
        this.handlers.get(message.id)?.(message);
      };
    });
    kernel.onerror = (event) => {
      this.status.textContent = `The runtime failed to start: ${event.message}`;
    };
    return this.ready;
  }

  #enqueue(cell: Cell): Promise<void> {
    const generation = this.generation;
    const run = this.chain.then(() => (generation === this.generation ? this.#run(cell) : undefined));
    this.chain = run.catch(() => undefined);
    return run;
  }

  async #run(cell: Cell): Promise<void> {
    await this.#start();
    const kernel = this.kernel!;
    const id = ++this.nextId;
    const source = cell.code.textContent ?? "";
    cell.element.classList.add("running");
    cell.element.setAttribute("aria-busy", "true");
    cell.button.setAttribute("aria-label", `Running cell ${cell.index + 1}`);
    if (cell.prompt) cell.prompt.textContent = "[*]:";
    if (!cell.outputs) {
      cell.outputs = document.createElement("div");
      cell.outputs.className = "outputs";
      cell.element.append(cell.outputs);
    }
    const outputs = cell.outputs;
    outputs.replaceChildren();
    cell.ran = true;
    await new Promise<void>((resolve) => {
      this.handlers.set(id, (message) => {
        if (message.t === "done") {
          this.handlers.delete(id);
          if (cell.prompt) cell.prompt.textContent = `[${++this.count}]:`;
          this.#finish(cell);
          resolve();
        } else appendOutput(outputs, message);
      });
      this.#stop = () => {
        this.handlers.delete(id);
        if (cell.prompt) cell.prompt.textContent = "[ ]:";
        appendOutput(outputs, { t: "stream", id, name: "stderr", text: "Stopped by Restart.\n" });
        this.#finish(cell);
        resolve();
      };
      const message: ToKernel = { t: "run", id, code: source, cell: cell.index + 1 };
      kernel.postMessage(message);
    });
    this.#stop = undefined;
  }

  #stop: (() => void) | undefined;

  #finish(cell: Cell): void {
    cell.element.classList.remove("running");
    cell.element.removeAttribute("aria-busy");
    cell.button.setAttribute("aria-label", `Run cell ${cell.index + 1}`);
  }

  async runTo(index: number): Promise<void> {
    if (!this.#explain()) return;
    const runs: Promise<void>[] = [];
    for (const cell of this.cells.slice(0, index)) if (!cell.ran) runs.push(this.#enqueue(cell));
    runs.push(this.#enqueue(this.cells[index]!));
    await Promise.all(runs);
  }

  async runAll(): Promise<void> {
    if (!this.#explain()) return;
    const started = performance.now();
    await Promise.all(this.cells.map((cell) => this.#enqueue(cell)));
    this.status.textContent = `Ran ${this.cells.length} cells in ${((performance.now() - started) / 1000).toFixed(1)} s.`;
  }

  /** A fresh runtime: the kernel worker (and every thread it started) is terminated at once. */
  restart(): void {
    this.generation++;
    this.kernel?.terminate();
    this.kernel = undefined;
    this.ready = undefined;
    this.#stop?.();
    this.#stop = undefined;
    this.chain = Promise.resolve();
    this.count = 0;
    for (const cell of this.cells) {
      cell.ran = false;
      this.#finish(cell);
    }
    this.status.textContent = "Restarted: a fresh runtime starts at the next Run.";
  }
}

function main(): void {
  const article = document.querySelector<HTMLElement>("article.notebook");
  const cells = article ? [...article.querySelectorAll<HTMLElement>(".cell.code")] : [];
  if (!article || cells.length === 0) return;
  isolateWithServiceWorker();
  // A stylesheet file, not a <style> element: a page's Content-Security-Policy may allow the site's styles only.
  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = new URL("live.css", assets).href;
  document.head.append(style);
  const page = new LivePage(article, cells);
  (window as unknown as { tsnbLive: LivePage }).tsnbLive = page;
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
else main();
