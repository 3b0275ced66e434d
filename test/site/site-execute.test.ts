// `tsnb site` / `npm start` executing lessons through the real tslab kernel: stale lessons run,
// a failing lesson keeps its partial outputs and is shown and counted, the rest is still built.
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeCell, markdownCell, newNotebook, writeNotebook } from "../../src/notebook/index.ts";

const TSNB = path.resolve("bin/tsnb.js");
const run = promisify(execFile);

let project = "";
const at = (...p: string[]) => path.join(project, ...p);

async function tsnb(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [TSNB, ...args], {
      cwd: project,
      timeout: 120_000,
      env: { ...process.env, CI: "" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const rowOf = (table: string, name: string) =>
  table
    .split("\n")
    .find((l) => l.startsWith(name + " "))
    ?.replace(/\s+/g, " ");

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), "tsnb-site-exec-"));
  await mkdir(at("notebooks/exercises"), { recursive: true });
  await writeNotebook(
    at("notebooks/01-ok.ipynb"),
    newNotebook([markdownCell("# It works\n\n## Colour"), codeCell('console.log("\\x1b[32mgreen\\x1b[0m", 6 * 7);')]),
  );
  await writeNotebook(
    at("notebooks/02-fails.ipynb"),
    newNotebook([
      markdownCell("# It breaks"),
      codeCell('console.log("BEFORE_THE_FAILURE");'),
      codeCell('throw new Error("lesson broke");'),
      codeCell('console.log("AFTER_THE_FAILURE");'),
    ]),
  );
  await writeNotebook(
    at("notebooks/exercises/01-ex.ipynb"),
    newNotebook([markdownCell("# Exercise"), codeCell('console.log("EXERCISE_WAS_EXECUTED");')]),
  );
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe("tsnb site executing lessons", () => {
  it("executes every lesson, keeps the failed one's partial outputs, builds every page and exits 1", async () => {
    const { code, stdout, stderr } = await tsnb("site");
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(/\[1\/2\] 01-ok\.ipynb: 1 cells \(missing\)/);
    expect(stderr).toMatch(/\[2\/2\] 02-fails\.ipynb: 3 cells \(missing\)\n\s+FAILED: 2\/3 cells/);
    expect(rowOf(stdout, "01-ok.ipynb")).toMatch(/^01-ok\.ipynb executed 1\/1 \d+\.\d s$/);
    expect(rowOf(stdout, "02-fails.ipynb")).toMatch(/^02-fails\.ipynb FAILED 2\/3 \d+\.\d s$/);
    expect(rowOf(stdout, "exercises/01-ex.ipynb")).toBe("exercises/01-ex.ipynb exercise");
    expect(stdout).toMatch(/Failures:\n {2}02-fails\.ipynb: .*02-fails\.ipynb.*lesson broke/);
    expect(stdout).toContain(`open file://${at("build/site/index.html")}`);

    const copy = await readFile(at("build/executed/02-fails.ipynb"), "utf8");
    expect(copy).toContain("BEFORE_THE_FAILURE");
    expect(copy).toContain('"output_type": "error"');
    const ok = await readFile(at("build/site/01-ok.html"), "utf8");
    expect(ok).toMatch(/<span class="ansi-green-fg">green<\/span> 42/);
    const failed = await readFile(at("build/site/02-fails.html"), "utf8");
    expect(failed).toContain('class="banner failed"');
    // The banner links to the cell that failed: the third cell of the notebook (1-based, as in the message).
    expect(failed).toMatch(/<a href="#cell-3">go to the cell<\/a>/);
    expect(failed).toMatch(/<div class="cell code" id="cell-3" data-cell-index="2">[^]*lesson broke/);
    expect(failed).toMatch(/class="output error"[^]*lesson broke/);
    expect(failed).not.toContain("AFTER_THE_FAILURE</");
    expect(await readFile(at("build/site/index.html"), "utf8")).toMatch(
      /href="02-fails\.html">It breaks<\/a> <span class="failed">\(failed to execute\)/,
    );
    expect(await readFile(at("build/site/exercises/01-ex.html"), "utf8")).not.toContain('class="outputs"');
  });

  it("runs again only what is out of date: the failed lesson, not the current one (npm start)", async () => {
    const before = (await stat(at("build/executed/01-ok.ipynb"))).mtimeMs;
    const { code, stdout, stderr } = await tsnb("start");
    expect(code, stderr).toBe(1);
    expect(rowOf(stdout, "01-ok.ipynb")).toBe("01-ok.ipynb up to date");
    expect(rowOf(stdout, "02-fails.ipynb")).toMatch(/FAILED 2\/3/);
    expect(stderr).toMatch(/\[1\/1\] 02-fails\.ipynb: 3 cells \(failed before\)/);
    expect((await stat(at("build/executed/01-ok.ipynb"))).mtimeMs).toBe(before);
  });

  it("exits 0 once the lesson is fixed, and --no-execute runs nothing", async () => {
    await writeNotebook(
      at("notebooks/02-fails.ipynb"),
      newNotebook([markdownCell("# It is fixed"), codeCell('console.log("FIXED");')]),
    );
    const fixed = await tsnb("site");
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(rowOf(fixed.stdout, "02-fails.ipynb")).toMatch(/executed 1\/1/);
    expect(await readFile(at("build/site/02-fails.html"), "utf8")).toContain("FIXED");

    await writeNotebook(at("notebooks/01-ok.ipynb"), newNotebook([markdownCell("# Changed"), codeCell("1")]));
    const stored = await tsnb("site", "--no-execute");
    expect(stored.code, stored.stderr).toBe(0);
    expect(stored.stderr).not.toContain("Executing");
    expect(rowOf(stored.stdout, "01-ok.ipynb")).toBe("01-ok.ipynb not executed");
  });

  it("on Ctrl-C shuts the kernel down, still builds the site from what ran, and exits 130", async () => {
    const pidFile = at("kernel.pid");
    await writeNotebook(
      at("notebooks/03-hangs.ipynb"),
      newNotebook([
        markdownCell("# It hangs"),
        codeCell('console.log("RAN_BEFORE_CTRL_C");'),
        codeCell(
          `require("node:fs").writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); await new Promise(() => {});`,
        ),
      ]),
    );
    const child = spawn(process.execPath, [TSNB, "site"], { cwd: project, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!existsSync(pidFile) && Date.now() < deadline) await sleep(100);
    const pid = Number(await readFile(pidFile, "utf8"));
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && alive(); i++) await sleep(100);
    expect(alive(), `kernel ${pid} still running`).toBe(false);
    expect(rowOf(stdout, "03-hangs.ipynb")).toMatch(/^03-hangs\.ipynb FAILED 2\/2 /);
    expect(stdout).toMatch(/03-hangs\.ipynb: .*(interrupt|cancel|abort)/i);
    const page = await readFile(at("build/site/03-hangs.html"), "utf8");
    expect(page).toContain("RAN_BEFORE_CTRL_C");
    expect(page).toContain('class="banner failed"');
  });
});
