import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { SandboxPermissions } from "./sandbox/limits.ts";
import { ROOT } from "./workdir.ts";

/** One exercise: its notebook number, id (= nbgrader grade_id), and where its suite and probes live. */
export interface Exercise {
  id: string;
  number: number;
  title: string;
  /** The vitest grading suite (trusted; never readable by a submission). */
  suite: string;
  /** Code the suite runs inside the sandbox, next to the submission. */
  probes: string;
  /** What this exercise's sandboxes may do beyond the default (e.g. start child processes). */
  sandbox?: SandboxPermissions;
}

/** The course's exercises, in the order a learner meets them (notebooks/exercises/<id>.ipynb). */
export const EXERCISE_LIST: ReadonlyArray<{ id: string; title: string; sandbox?: SandboxPermissions }> = [
  { id: "safe-counter", title: "A counter in shared memory" },
  { id: "bounded-queue", title: "A bounded async queue" },
  { id: "parallel-primes", title: "Primes on worker threads" },
  { id: "download-manager", title: "Download manager" },
  { id: "chat-server", title: "Chat server" },
  { id: "load-tester", title: "Load tester" },
  { id: "web-crawler", title: "Web crawler" },
  { id: "image-processor", title: "Image processor" },
  { id: "data-pipeline", title: "Data pipeline" },
  { id: "fix-the-deadlock", title: "Fix the deadlock" },
  { id: "bank-transfer", title: "A bank in shared memory" },
  // The one exercise whose submissions may start child processes: Node only, under the sandbox's rules.
  { id: "process-pool", title: "A process pool", sandbox: { childProcesses: true } },
];

/** Where exercise `id`'s files live. */
export function exerciseDir(id: string, root = ROOT): string {
  return path.join(root, "exercises", id);
}

/** The exercises that have a grading suite in this checkout. */
export function exercises(root = ROOT): Exercise[] {
  return EXERCISE_LIST.map((e, i) => ({
    ...e,
    number: i + 1,
    suite: path.join(exerciseDir(e.id, root), "suite.grade.ts"),
    probes: path.join(exerciseDir(e.id, root), "probes.ts"),
  })).filter((e) => existsSync(e.suite));
}

/** A test of a suite, as declared: its name starts with "[points]". */
export interface DeclaredTest {
  name: string;
  points: number;
}

const TEST_NAME = /\b(?:test|it)(?:\.\w+)?\(\s*"(\[(\d+)\][^"]*)"/g;

/**
 * The tests a suite declares, read from its source: the grader knows every test and the maximum
 * score even when the run is cut short (a submission that kills the runner loses points, not tests).
 */
export function declaredTests(suiteFile: string): DeclaredTest[] {
  const source = readFileSync(suiteFile, "utf8");
  return [...source.matchAll(TEST_NAME)].map((m) => ({ name: m[1]!, points: Number(m[2]) }));
}
