import type { Exercise } from "../exercises.ts";
import type { GradeOptions } from "../types.ts";
import { SuiteRunner } from "./suite-runner.ts";

/**
 * Warm suite runners shared by one batch (`gradeFiles`): a submission takes an idle runner of its
 * exercise (vitest and the suite already loaded, ~0.5-1 s saved) or starts one, and gives it back
 * after. At most `keep` runners wait idle (the least recently used goes first), so a batch of many
 * exercises does not keep a vitest process per exercise. Never shared by two submissions at once:
 * a runner is out of the pool while it grades.
 */
export class RunnerPool {
  readonly #idle: SuiteRunner[] = [];
  readonly #all = new Set<SuiteRunner>();
  #started = 0;

  constructor(
    private readonly root: string,
    private readonly opts: GradeOptions,
    private readonly keep: number,
  ) {}

  /** An idle runner for `exercise`, or a new one. */
  async take(exercise: Exercise): Promise<SuiteRunner> {
    const i = this.#idle.findIndex((r) => r.exercise.id === exercise.id && r.usable);
    if (i >= 0) return this.#idle.splice(i, 1)[0]!;
    const runner = new SuiteRunner(exercise, this.root, this.opts);
    this.#started += 1;
    this.#all.add(runner);
    return runner;
  }

  /** How many runners this pool started so far (each costs a vitest start). */
  get started(): number {
    return this.#started;
  }

  /** Back to the pool after a submission; a runner that died or was stopped is closed instead. */
  give(runner: SuiteRunner): void {
    if (!runner.usable) {
      this.#drop(runner);
      return;
    }
    this.#idle.push(runner);
    while (this.#idle.length > this.keep) this.#drop(this.#idle.shift()!);
  }

  #drop(runner: SuiteRunner): void {
    this.#all.delete(runner);
    void runner.close();
  }

  /** Close every runner (idle or not): the end of the batch. */
  async close(): Promise<void> {
    this.#idle.length = 0;
    await Promise.all([...this.#all].map((r) => r.close()));
    this.#all.clear();
  }
}
