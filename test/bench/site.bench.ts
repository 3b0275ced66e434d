/**
 * Site figures: rendering the executed notebooks into the site (`tsnb site --no-execute`, a whole
 * command: node + the CLI + shiki + KaTeX + every page, the index, the search index and the assets)
 * against `jupyter nbconvert --to html` on the same notebooks, in the same run, alternately, so both
 * sides see the same machine load. The notebooks are the executed lessons in build/executed/ when
 * `npm start` has made them, plus the site test fixtures (every output type).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readNotebook } from "../../src/notebook/index.ts";
import { renderNotebookDetailed } from "../../src/site/render/render-notebook.ts";
import type { BenchContext, Figure } from "./types.ts";

const ROUNDS = 3;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * CPU seconds (user + system) of this process's waited-for children so far, from /proc/self/stat
 * (cutime + cstime, in the kernel's USER_HZ ticks: 100 a second on Linux); NaN where there is no /proc.
 * A child's figure includes its own children (nbconvert's Python, tsnb's esbuild service).
 */
function childrenCpu(): number {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Wall milliseconds and CPU seconds of one command run to its end. */
async function timed(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ ms: number; cpu: number }> {
  const cpuBefore = childrenCpu();
  const started = performance.now();
  let stderr = "";
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", resolve);
    child.on("error", (e) => {
      stderr += e.message;
      resolve(-1);
    });
  });
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${code}: ${stderr.slice(-2000)}`);
  return { ms: performance.now() - started, cpu: childrenCpu() - cpuBefore };
}

async function ipynbs(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((f) => f.endsWith(".ipynb")).map((f) => path.join(dir, f));
}

const onPath = (command: string) =>
  (process.env["PATH"] ?? "").split(path.delimiter).some((d) => d !== "" && existsSync(path.join(d, command)));

export async function bench(ctx: BenchContext): Promise<Record<string, Figure>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tsnb-site-bench-"));
  const figures: Record<string, Figure> = {};
  try {
    // A project whose notebooks/ holds the executed copies, so `--no-execute` renders them as they are.
    const project = path.join(dir, "project");
    await mkdir(path.join(project, "notebooks"), { recursive: true });
    const executed = await ipynbs(path.join(ctx.root, "build", "executed"));
    const fixtures = await ipynbs(path.join(ctx.root, "test", "fixtures", "site", "notebooks"));
    const inputs: string[] = [];
    for (const [i, file] of [...executed, ...fixtures].entries()) {
      const target = path.join(project, "notebooks", `${String(i).padStart(2, "0")}-${path.basename(file)}`);
      await copyFile(file, target);
      inputs.push(target);
    }
    let cells = 0;
    for (const file of inputs) cells += (await readNotebook(file)).cells.length;
    const what = `${inputs.length} notebooks (${executed.length} executed lessons from build/executed + ${fixtures.length} fixtures), ${cells} cells`;
    ctx.log(what);

    // In-process, warm: the renderer alone (what a rebuild inside a long-lived process costs).
    const contents = await Promise.all(inputs.map((f) => readNotebook(f)));
    await renderNotebookDetailed(contents[0]!, { trusted: true });
    const warm: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const started = performance.now();
      for (const nb of contents) await renderNotebookDetailed(nb, { trusted: true });
      warm.push(performance.now() - started);
    }
    figures["site.render_warm_ms_per_notebook"] = {
      value: median(warm) / inputs.length,
      unit: "ms",
      note: `renderNotebookDetailed in-process, warm, median of ${ROUNDS} over ${what}`,
    };

    const tsnb = path.join(ctx.root, "bin", "tsnb.js");
    const site = [tsnb, "site", "--no-execute", "--out", path.join(dir, "site")];
    const cache = path.join(project, "build", "cache");
    const cold: number[] = [];
    const rebuild: number[] = [];
    const theirs: number[] = [];
    const start: number[] = [];
    // CPU seconds beside the wall times: steadier than wall time when other work shares the cores.
    const coldCpu: number[] = [];
    const theirsCpu: number[] = [];
    const nbconvert = onPath("jupyter-nbconvert");
    const env = {
      ...process.env,
      JUPYTER_RUNTIME_DIR: path.join(dir, "runtime"),
      JUPYTER_DATA_DIR: path.join(dir, "data"),
    };
    for (let r = 0; r < ROUNDS; r++) {
      ctx.log(`render_vs_nbconvert round ${r + 1}/${ROUNDS}`);
      // Cold: no render cache, every page rendered (shiki, KaTeX and markdown-it all loaded and used).
      await rm(cache, { recursive: true, force: true });
      const ours = await timed(process.execPath, site, { cwd: project });
      cold.push(ours.ms);
      coldCpu.push(ours.cpu);
      // Rebuild: the same command again, every page from the render cache.
      rebuild.push((await timed(process.execPath, site, { cwd: project })).ms);
      // The floor of any tsnb command: Node and the CLI (from its prebuilt bundle, bin/prebuilt.mjs), doing nothing.
      start.push((await timed(process.execPath, [tsnb, "--help"], { cwd: project })).ms);
      if (nbconvert) {
        const run = await timed(
          "jupyter-nbconvert",
          ["--to", "html", "--output-dir", path.join(dir, "nbconvert"), ...inputs],
          { env },
        );
        theirs.push(run.ms);
        theirsCpu.push(run.cpu);
      }
    }
    figures["site.build_ms"] = {
      value: Math.round(median(cold)),
      unit: "ms",
      note: `tsnb site --no-execute, whole command, no render cache (pages, index, search index, assets), median of ${ROUNDS}`,
    };
    figures["site.cli_start_ms"] = {
      value: Math.round(median(start)),
      unit: "ms",
      note: `tsnb --help, whole command (Node + the CLI's prebuilt bundle, no work): the floor under every tsnb figure, median of ${ROUNDS}`,
    };
    figures["site.rebuild_ms"] = {
      value: Math.round(median(rebuild)),
      unit: "ms",
      note: `the same with every page in the render cache (npm start with no notebook changed), median of ${ROUNDS}`,
    };
    if (nbconvert) {
      const n = median(theirs);
      figures["site.nbconvert_ms"] = {
        value: Math.round(n),
        unit: "ms",
        note: `jupyter nbconvert --to html on the same notebooks, one command, median of ${ROUNDS}`,
      };
      figures["site.render_vs_nbconvert"] = {
        value: median(cold) / n,
        target: "<= 0.2",
        note: `cold, ${what}: tsnb site ${Math.round(median(cold))} ms vs nbconvert ${Math.round(n)} ms; the floor, tsnb --help, is ${Math.round(median(start))} ms = ${(median(start) / n).toFixed(2)} of nbconvert`,
      };
      figures["site.render_vs_nbconvert_cpu"] = {
        value: median(coldCpu) / median(theirsCpu),
        note: `the same cold runs in CPU time (user + system, children included): tsnb site ${median(coldCpu).toFixed(2)} s vs nbconvert ${median(theirsCpu).toFixed(2)} s, medians of ${ROUNDS}`,
      };
      figures["site.rebuild_vs_nbconvert"] = {
        value: median(rebuild) / n,
        note: `every page from the render cache: ${Math.round(median(rebuild))} ms vs nbconvert ${Math.round(n)} ms`,
      };
    } else {
      figures["site.render_vs_nbconvert"] = {
        value: Number.NaN,
        target: "<= 0.2",
        note: "jupyter-nbconvert not installed (apt-get install jupyter-nbconvert): no comparison",
      };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return figures;
}
