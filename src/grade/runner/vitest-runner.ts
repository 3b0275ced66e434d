/**
 * The trusted suite runner: one process per submission, forked by the grader with an IPC channel.
 * It runs the exercise's vitest suite and reports each test's result to the grader over that
 * channel. The submission never runs in this process (the suite drives it in a sandbox process of
 * its own), so nothing the submission does can write to this channel or patch vitest here.
 */
import { startVitest } from "vitest/node";
import type { Reporter, TestCase, TestModule } from "vitest/node";
import type { RunnerMessage } from "./protocol.ts";

const suite = process.env["TSNB_GRADE_SUITE"];
const root = process.env["TSNB_GRADE_ROOT"];
const testTimeout = Number(process.env["TSNB_GRADE_TEST_TIMEOUT_MS"] ?? 30_000);
if (!suite || !root || !process.send) throw new Error("vitest-runner is started by `tsnb grade` (TSNB_GRADE_SUITE, TSNB_GRADE_ROOT, IPC)");

function send(message: RunnerMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, {}, () => resolve()));
}

function report(test: TestCase): Promise<void> {
  const result = test.result();
  const errors = result.state === "failed" ? result.errors.map((e) => ({ name: e.name ?? "Error", message: e.message ?? String(e) })) : [];
  return send({ type: "test", name: test.name, state: result.state, errors, durationMs: test.diagnostic()?.duration ?? 0 });
}

const reporter: Reporter = {
  onTestCaseResult: (test) => report(test),
  onTestRunEnd: async (modules: ReadonlyArray<TestModule>, unhandled) => {
    const moduleErrors = modules.flatMap((m) => m.errors().map((e) => `${e.name ?? "Error"}: ${e.message}`));
    await send({ type: "end", errors: [...moduleErrors, ...unhandled.map((e) => `${e.name ?? "Error"}: ${e.message}`)] });
  },
};

const vitest = await startVitest(
  "test",
  [],
  { watch: false, config: false, root, include: [suite], reporters: [reporter], testTimeout, hookTimeout: testTimeout, pool: "threads", fileParallelism: false, passWithNoTests: false, silent: true },
  {},
);
await vitest.close();
process.exit(0);
