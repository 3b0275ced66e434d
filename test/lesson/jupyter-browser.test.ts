// The learner's path, once, end to end: Debian's classic Jupyter Notebook (JupyterLab is not in
// Debian) with our tslab kernelspec, a lesson notebook opened in headless Chromium, Cell > Run All,
// and the notebook's output read off the page. Works on a copy: the real notebook is never saved over.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, cp, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { need, onPath } from "../support/components.ts";
import { notebooksDir, repoRoot } from "./notebooks.ts";

const chromiumPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const ready =
  need("jupyter-notebook", onPath("jupyter-notebook"), "apt-get install jupyter-notebook (or pip install notebook)") &&
  need("chromium", chromiumPath !== undefined, "apt-get install chromium");

const NOTEBOOK = "01-threading.ipynb";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Installs the kernelspec as a learner does: `tsnb kernel install --prefix P`. */
function installKernelspec(prefix: string): void {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "bin/tsnb.js"), "kernel", "install", "--prefix", prefix], { cwd: repoRoot, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tsnb kernel install --prefix ${prefix} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
}

describe.skipIf(!ready)("a lesson notebook in the classic Jupyter Notebook, in headless Chromium", () => {
  let tmp = "";
  let server: ChildProcess | undefined;
  let serverLog = "";
  let browser: Browser | undefined;
  let base = "";
  const token = randomBytes(16).toString("hex");

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "lesson-jupyter-"));
    const prefix = path.join(tmp, "prefix");
    installKernelspec(prefix);
    // A copy of the course layout, as a learner's checkout has it: notebooks/ holds the copy (the real
    // notebook is never saved over), the helpers and package.json are copied (TypeScript resolves a
    // symlink to its real path, which would lie outside the copy's project root), packages are linked.
    const root = path.join(tmp, "root");
    await mkdir(path.join(root, "notebooks"), { recursive: true });
    await copyFile(path.join(notebooksDir, NOTEBOOK), path.join(root, "notebooks", NOTEBOOK));
    await cp(path.join(repoRoot, "kernel-helpers"), path.join(root, "kernel-helpers"), { recursive: true });
    await copyFile(path.join(repoRoot, "package.json"), path.join(root, "package.json"));
    await symlink(path.join(repoRoot, "node_modules"), path.join(root, "node_modules"));
    for (const d of ["data", "runtime", "config"]) await mkdir(path.join(tmp, d));

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(
      "jupyter-notebook",
      ["--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0", `--NotebookApp.token=${token}`, `--notebook-dir=${root}`, ...(process.getuid?.() === 0 ? ["--allow-root"] : [])],
      {
        cwd: root,
        env: {
          ...process.env,
          JUPYTER_PATH: path.join(prefix, "share/jupyter"),
          JUPYTER_DATA_DIR: path.join(tmp, "data"),
          JUPYTER_RUNTIME_DIR: path.join(tmp, "runtime"),
          JUPYTER_CONFIG_DIR: path.join(tmp, "config"),
        },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      },
    );
    server.stdout?.on("data", (d: Buffer) => (serverLog += d.toString()));
    server.stderr?.on("data", (d: Buffer) => (serverLog += d.toString()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`jupyter-notebook exited with ${server.exitCode}:\n${serverLog}`);
      const ok = await fetch(`${base}/api/kernelspecs?token=${token}`).then((r) => (r.ok ? r.json() : undefined), () => undefined);
      if (ok) {
        expect(Object.keys((ok as { kernelspecs: object }).kernelspecs)).toContain("tslab");
        break;
      }
      if (Date.now() > deadline) throw new Error(`jupyter-notebook did not answer within 60 s:\n${serverLog}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    browser = await chromium.launch({
      executablePath: chromiumPath!,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      // Shut every kernel down through the API first, so no tslab process outlives the server.
      const kernels = (await fetch(`${base}/api/kernels?token=${token}`).then((r) => r.json(), () => [])) as Array<{ id: string }>;
      await Promise.all(kernels.map((k) => fetch(`${base}/api/kernels/${k.id}?token=${token}`, { method: "DELETE" }).catch(() => undefined)));
      const exited = new Promise((r) => server!.once("exit", r));
      try {
        process.kill(-server.pid!, "SIGTERM");
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-server!.pid!, "SIGKILL");
        } catch {
          // already gone
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it(`runs ${NOTEBOOK} with Cell > Run All and shows its output`, { timeout: 120_000 }, async () => {
    const page = await browser!.newPage();
    const consoleErrors: string[] = [];
    page.on("pageerror", (e) => consoleErrors.push(e.message));
    await page.goto(`${base}/notebooks/notebooks/${NOTEBOOK}?token=${token}`);
    // The kernel has started and is idle (tslab takes a second or two to load TypeScript).
    await page.locator("#kernel_indicator_icon.kernel_idle_icon").waitFor({ timeout: 60_000 });
    await page.locator("#celllink").click();
    await page.locator("#run_all_cells > a").click();
    const output = page.locator("#notebook-container .output_area");
    await expect.poll(async () => (await output.allInnerTexts()).join("\n"), { timeout: 90_000, interval: 500 }).toContain("Worker 4 has finished");
    // Every cell ran: no cell is still queued or running ("In [*]"), and the kernel is idle again.
    await expect.poll(async () => page.locator(".input_prompt:has-text('[*]')").count(), { timeout: 90_000, interval: 500 }).toBe(0);
    await page.locator("#kernel_indicator_icon.kernel_idle_icon").waitFor({ timeout: 30_000 });
    const text = (await output.allInnerTexts()).join("\n");
    for (let i = 0; i < 5; i++) {
      expect(text).toContain(`Worker ${i} is running`);
      expect(text).toContain(`Worker ${i} has finished`);
    }
    expect(text).toMatch(/All 5 workers finished in [\d.]+ s/);
    // The timelines the notebook draws (tslab display.html of an SVG) are on the page as SVG elements.
    expect(await page.locator("#notebook-container .output_html svg").count()).toBeGreaterThanOrEqual(2);
    // tslab reports a failing cell as stderr text: none may appear.
    expect(await page.locator(".output_stderr, .output_error").allInnerTexts()).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
