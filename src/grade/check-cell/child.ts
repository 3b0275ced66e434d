/**
 * The check cell's grading process: `node --import tsx src/grade/check-cell/child.ts`, a
 * {@link CheckRequest} on stdin, a {@link CheckResponse} on stdout. It grades the saved notebook
 * exactly as `tsnb grade` does (gradeFiles: the same sandboxed grader and suites), so the
 * learner's kernel runs none of the learner's code for the check and cannot be hung or killed by it.
 */
import { CourseError } from "../../errors.ts";
import { gradeFiles } from "../batch.ts";
import { exercises } from "../exercises.ts";
import { checkCellReport } from "../report/check-cell.ts";
import { readSubmission } from "../submission.ts";
import { compareWithKernel, type KernelMatch } from "./kernel-match.ts";
import { locateNotebook } from "./locate.ts";
import { gradedNote } from "./note.ts";
import type { CheckRequest, CheckResponse } from "./protocol.ts";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The request, checked at the boundary. */
function parseRequest(text: string): CheckRequest {
  const value = JSON.parse(text) as Partial<CheckRequest>;
  if (typeof value.exercise !== "string" || typeof value.dir !== "string")
    throw new CourseError("ERR_CHECK_CELL", "the check cell sent no exercise id or folder");
  const live = value.live && typeof value.live === "object" ? value.live : null;
  return { exercise: value.exercise, dir: value.dir, live, ...(value.session ? { session: value.session } : {}) };
}

async function check(request: CheckRequest): Promise<CheckResponse> {
  const ids = exercises().map((e) => e.id);
  if (!ids.includes(request.exercise))
    return { ok: false, message: `unknown exercise "${request.exercise}" (known: ${ids.join(", ")})` };
  const located = await locateNotebook(request.exercise, request.dir, request.session);
  let match: KernelMatch = { state: "unknown" };
  try {
    const submission = await readSubmission(located.file, ids, request.exercise);
    match = compareWithKernel(submission.code, request.live);
  } catch {
    // Unreadable: gradeFiles below reports why, in the table's place.
  }
  const [result] = await gradeFiles([located.file], { exercise: request.exercise });
  return { ok: true, ...checkCellReport(result!, gradedNote(located, match)) };
}

let response: CheckResponse;
try {
  response = await check(parseRequest(await readStdin()));
} catch (error) {
  response = { ok: false, message: error instanceof CourseError ? error.message : String((error as Error).stack) };
}
process.stdout.write(JSON.stringify(response));
