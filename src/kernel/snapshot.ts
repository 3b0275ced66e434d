/**
 * A V8 startup snapshot of the tslab kernel, with TypeScript's lib and @types files already parsed and
 * bound (see tslab-snapshot.cjs for why and how): a kernel starts from it in about a third of the CPU.
 *
 * One blob per Node version, architecture, set of inputs and set of type roots (see SnapshotTypes), in
 * node_modules/.cache/tsnb/. `npm ci` builds them (postinstall: `node --import tsx src/kernel/snapshot.ts`);
 * a start that finds none builds them in the background for the next start and starts the usual way.
 * `TSNB_TSLAB_SNAPSHOT=0` turns it off.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ENTRY = fileURLToPath(new URL("./tslab-snapshot.cjs", import.meta.url));
/** The project whose node_modules holds tslab (this checkout). */
const ROOT = path.resolve(path.dirname(ENTRY), "../..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "tsnb");
/**
 * The Node majors whose user-land snapshots run the whole lesson. Not Node 24: there a kernel started
 * from a snapshot aborts the first time a cell loads node:child_process or node:net (the assertion
 * `shutdown_wrap_template_.IsEmpty()` in PipeWrap::Initialize, seen with 24.22); kernels start as they
 * come there. Add a major only after the lesson test passes on it with the snapshot.
 */
const SNAPSHOT_NODE_MAJORS = new Set([20]);

/** Whether this Node starts kernels from a snapshot at all (see SNAPSHOT_NODE_MAJORS). */
export function snapshotSupported(): boolean {
  return SNAPSHOT_NODE_MAJORS.has(Number(process.versions.node.split(".")[0]));
}

/** A build that has held the lock this long died: its lock is taken over. */
const STALE_LOCK_MS = 120_000;

/**
 * Which type roots tslab compiles with, which depends on the kernel's folder (its converter.js
 * getTypeRoots): every node_modules/@types at or above the folder when one of them has node's types
 * (a notebook in this project: "project"), else tslab's own @types ("tslab": a temporary folder, a
 * course folder outside any project). Each has its own blob of pre-parsed files (see tslab-snapshot.cjs).
 */
export type SnapshotTypes = "project" | "tslab";
const TYPES: readonly SnapshotTypes[] = ["project", "tslab"];

/** The blob a kernel started in `cwd` hits (the one whose type roots tslab will use there). */
export function snapshotTypesFor(cwd: string): SnapshotTypes {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "node_modules", "@types", "node", "package.json"))) return "project";
    if (path.dirname(dir) === dir) return "tslab";
  }
}

/** Everything the snapshots' content depends on, hashed into their file names. */
function snapshotKey(): string {
  const hash = createHash("sha256");
  hash.update(`${process.version} ${process.arch} ${process.platform}\n`);
  hash.update(readFileSync(ENTRY));
  const require = createRequire(path.join(ROOT, "package.json"));
  const tslabPackage = require.resolve("tslab/package.json");
  const tslabRequire = createRequire(tslabPackage);
  const ts = statSync(tslabRequire.resolve("@tslab/typescript-for-tslab"));
  hash.update(`typescript ${ts.size} ${ts.mtimeMs}\n`);
  for (const types of [path.join(ROOT, "node_modules", "@types"), path.join(path.dirname(tslabPackage), "node_modules", "@types")]) {
    for (const name of existsSync(types) ? readdirSync(types).sort() : []) {
      const pkg = path.join(types, name, "package.json");
      if (existsSync(pkg)) hash.update(`${types} ${name} ${statSync(pkg).mtimeMs}\n`);
    }
  }
  return hash.digest("hex").slice(0, 16);
}

/** Where this Node's snapshot for a kernel in `cwd` lives (whether or not it was built). */
export function snapshotFile(cwd: string): string {
  return blobFile(snapshotTypesFor(cwd));
}

function blobFile(types: SnapshotTypes): string {
  return path.join(CACHE, `tslab-${process.version}-${types}-${snapshotKey()}.blob`);
}

/** The snapshot to start tslab from in `cwd`, or undefined (none built yet, or turned off). */
export function readySnapshot(cwd: string): string | undefined {
  if (process.env["TSNB_TSLAB_SNAPSHOT"] === "0" || !snapshotSupported()) return undefined;
  try {
    const file = snapshotFile(cwd);
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined; // tslab missing or unreadable: the usual start reports it
  }
}

/** A snapshot that failed to start a kernel is removed, so the next start rebuilds it. */
export function discardSnapshot(file: string): void {
  rmSync(file, { force: true });
}

/**
 * Build the snapshots now (a few seconds of CPU each). Several tsnb processes may want them at once
 * (--jobs 2, parallel test files): one builds each while holding a lock file, the others return false
 * at once and start their kernels the usual way. A blob is written under a temporary name and renamed,
 * so a kernel never starts from half a file. True when every blob is there.
 */
export function buildSnapshot(): boolean {
  if (!snapshotSupported()) return false;
  mkdirSync(CACHE, { recursive: true });
  let all = true;
  for (const types of TYPES) all = buildBlob(types) && all;
  // Blobs of older inputs (another tslab, another @types set) of this Node version are dead weight.
  const current = new Set(TYPES.map(blobFile));
  for (const old of readdirSync(CACHE)) {
    const file = path.join(CACHE, old);
    if (old.startsWith(`tslab-${process.version}-`) && old.endsWith(".blob") && !current.has(file))
      rmSync(file, { force: true });
  }
  return all;
}

function buildBlob(types: SnapshotTypes): boolean {
  const file = blobFile(types);
  if (existsSync(file)) return true;
  const lock = `${file}.lock`;
  if (!takeLock(lock)) return false;
  const partial = `${file}.${process.pid}.tmp`;
  try {
    const result = spawnSync(process.execPath, ["--snapshot-blob", partial, "--build-snapshot", ENTRY], {
      env: { ...process.env, TSNB_SNAPSHOT_ROOT: ROOT, TSNB_SNAPSHOT_TYPES: types },
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
    });
    if (result.status !== 0 || !existsSync(partial)) {
      throw new Error(
        `building the tslab snapshot (${types} types) failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr.trim().slice(-2000)}`,
      );
    }
    renameSync(partial, file);
    return true;
  } finally {
    rmSync(partial, { force: true });
    rmSync(lock, { force: true });
  }
}

function takeLock(lock: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(lock, "wx"));
      return true;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age < STALE_LOCK_MS) return false;
      rmSync(lock, { force: true }); // left by a build that died; try once more
    }
  }
  return false;
}

/** Build the snapshot in a detached process, for the next kernel start; never waits, never throws. */
export function buildSnapshotInBackground(): void {
  if (process.env["TSNB_TSLAB_SNAPSHOT"] === "0" || !snapshotSupported()) return;
  try {
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
      cwd: ROOT,
      detached: true,
      stdio: "ignore",
    });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // the usual start goes on; the next one tries again
  }
}

// `node --import tsx src/kernel/snapshot.ts [--quiet]`: build it now (npm's postinstall, the background build).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const quiet = process.argv.includes("--quiet");
  const started = performance.now();
  try {
    const built = buildSnapshot();
    if (!quiet)
      console.log(
        built
          ? `tslab snapshots: ${TYPES.map((t) => path.relative(process.cwd(), blobFile(t))).join(", ")} (${Math.round(performance.now() - started)} ms)`
          : snapshotSupported()
            ? "tslab snapshot: another process is building it"
            : `tslab snapshot: not used on Node ${process.version} (kernels start as they come)`,
      );
  } catch (error) {
    // Never fatal: kernels start without it, as before.
    console.warn(`tslab snapshot not built: ${(error as Error).message}`);
  }
}
