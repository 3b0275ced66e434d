// The stand-alone programs of examples/ (the Python lesson's "How to Run Examples"), run as the README says:
// `npx tsx FILE` from the program's folder and from the repository root, and, on Node 22.6 and later,
// `node --experimental-strip-types FILE`. Each must print the Python lesson's lines; the five 2 s sleepers
// must overlap (timed from the moment each line arrived, in a generous range).
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { primeCount } from "./key-lines.ts";
import { repoRoot } from "./notebooks.ts";

interface Line {
  text: string;
  /** Milliseconds since the program started when the line arrived. */
  at: number;
}
interface Run {
  code: number | null;
  lines: Line[];
  stderr: string;
}

const tsxCli = path.join(repoRoot, "node_modules/tsx/dist/cli.mjs");
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
/** `node --experimental-strip-types` exists from Node 22.6 (and is on by default from 23.6). */
const hasStripTypes = major > 22 || (major === 22 && minor >= 6);

const runners: Array<{ name: string; argv: (file: string) => string[] }> = [
  { name: "npx tsx", argv: (file) => [tsxCli, file] },
  ...(hasStripTypes ? [{ name: "node --experimental-strip-types", argv: (file: string) => ["--experimental-strip-types", file] }] : []),
];

/** Runs `node ...argv` in `cwd`, timestamping each stdout line as it arrives. */
function run(argv: string[], cwd: string, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, argv, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_NO_WARNINGS: "1" } });
    const lines: Line[] = [];
    let partial = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      const at = performance.now() - started;
      const parts = (partial + chunk).split("\n");
      partial = parts.pop()!;
      for (const text of parts) lines.push({ text, at });
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      if (partial) lines.push({ text: partial, at: performance.now() - started });
      resolve({ code, lines, stderr });
    });
  });
}

const texts = (r: Run) => r.lines.map((l) => l.text);
const arrival = (r: Run, text: string) => {
  const line = r.lines.find((l) => l.text === text);
  expect(line, `the program printed "${text}"`).toBeDefined();
  return line!.at;
};

/** thread.py and process.py: all five started before any finished, and the five 2 s sleeps overlapped. */
function expectFiveSleepersOverlapped(r: Run, who: "Worker" | "Process"): void {
  const running = [0, 1, 2, 3, 4].map((i) => arrival(r, `${who} ${i} is running`));
  const finished = [0, 1, 2, 3, 4].map((i) => arrival(r, `${who} ${i} has finished`));
  expect(Math.max(...running)).toBeLessThanOrEqual(Math.min(...finished));
  // Each slept 2 s (a line can arrive a little late, never early); all five within about 2 s, far from 5 x 2 s.
  for (let i = 0; i < 5; i++) expect(finished[i]! - running[i]!).toBeGreaterThanOrEqual(1900);
  expect(Math.max(...finished) - Math.min(...running)).toBeLessThan(5000);
}

const where = (dir: string, file: string) => [
  { from: `examples/${dir}`, cwd: path.join(repoRoot, "examples", dir), file },
  { from: "the repository root", cwd: repoRoot, file: `examples/${dir}/${file}` },
];

describe.each(runners)("examples/, run with $name", ({ argv }) => {
  it.each(where("01", "thread.ts"))("01/thread.ts from $from prints thread.py's lines, the five sleeps overlapping", async ({ cwd, file }) => {
    const r = await run(argv(file), cwd);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(10);
    expectFiveSleepersOverlapped(r, "Worker");
  });

  it.each(where("02", "process.ts"))("02/process.ts from $from prints process.py's lines from five child processes", async ({ cwd, file }) => {
    const r = await run(argv(file), cwd);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expectFiveSleepersOverlapped(r, "Process");
    const field = (name: string) => texts(r).filter((t) => t.startsWith(`${name}: `)).map((t) => t.slice(name.length + 2));
    const pids = field("process id").map(Number);
    const parents = new Set(field("parent process").map(Number));
    expect(field("module name")).toEqual(Array(5).fill("process.ts (main module: true)"));
    expect(new Set(pids).size, "five different child pids").toBe(5);
    expect(parents.size, "one parent for all five").toBe(1);
    expect(pids).not.toContain([...parents][0]);
  });

  it("09/primes.ts finds the same primes sequentially and on worker threads", async () => {
    const r = await run(argv("primes.ts").concat("10000", "200000"), path.join(repoRoot, "examples/09"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const found = texts(r).flatMap((t) => /^Found (\d+) primes in [\d.]+ seconds$/.exec(t)?.[1] ?? []).map(Number);
    expect(found).toEqual([primeCount(10_000), primeCount(10_000), primeCount(200_000), primeCount(200_000)]);
    expect(texts(r).filter((t) => t === "Results match: true")).toHaveLength(2);
    expect(texts(r).filter((t) => /^Speedup: \d+\.\d\dx$/.test(t))).toHaveLength(2);
  });

  it("11/gil.ts computes the same sums on the event loop, on threads and in processes; the four waits overlap", async () => {
    const r = await run(argv("gil.ts").concat("1000000"), path.join(repoRoot, "examples/11"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    for (const label of ["Event loop (4 async tasks)", "Worker threads", "Multiprocessing"]) {
      expect(texts(r).some((t) => new RegExp(`^${label.replace(/[()]/g, "\\$&")} CPU-bound: [\\d.]+s$`).test(t)), label).toBe(true);
    }
    expect(texts(r)).toContain("Results match: true");
    const waits = texts(r).map((t) => /^Four io_bound tasks on the event loop: .* in ([\d.]+)s$/.exec(t)?.[1]).find(Boolean);
    expect(Number(waits)).toBeGreaterThanOrEqual(0.99);
    expect(Number(waits)).toBeLessThan(2); // four 1 s waits, one after another, would take 4 s
  });

  it("12/producer-consumer.ts consumes every produced item exactly once", async () => {
    const r = await run(argv("producer-consumer.ts"), path.join(repoRoot, "examples/12"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const produced = texts(r).flatMap((t) => /^Producer \d produced (Item-\d-\d)$/.exec(t)?.[1] ?? []);
    const consumed = texts(r).flatMap((t) => /^Consumer \d consumed (Item-\d-\d)$/.exec(t)?.[1] ?? []);
    expect(produced).toHaveLength(10);
    expect([...consumed].sort()).toEqual([...produced].sort());
    expect(texts(r).at(-1)).toBe("All items consumed");
  });
});
