import { createRequire } from "node:module";
import { CourseError, UsageError } from "./errors.ts";

/**
 * `tsnb`: one CLI for the course kit. Each command lives in its own module and is loaded on demand,
 * so `tsnb --help` stays fast and one command's dependencies never slow another.
 */
type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  start: {
    summary: "the main job: execute the lesson notebooks into build/ and render the site",
    load: () => import("./commands/start.ts"),
  },
  run: {
    summary: "execute notebooks through the tslab kernel (embedded, or --server URL)",
    load: () => import("./execute/command.ts"),
  },
  grade: {
    summary: "grade exercise submissions (.ipynb or .ts) with the vitest suites",
    load: () => import("./grade/command.ts"),
  },
  gradescope: {
    summary: "gradescope build: the autograder zip Gradescope runs (setup.sh, run_autograder, suites)",
    load: () => import("./grade/gradescope/command.ts"),
  },
  release: {
    summary: "turn instructor notebooks (BEGIN/END SOLUTION) into learner notebooks",
    load: () => import("./grade/release-command.ts"),
  },
  check: {
    summary: "validate notebooks as Jupyter's nbformat does; --fix upgrades and rewrites them as Jupyter writes",
    load: () => import("./commands/check.ts"),
  },
  site: { summary: "render the notebooks as a static lesson site", load: () => import("./site/cli/site-command.ts") },
  serve: { summary: "serve the static site on 127.0.0.1", load: () => import("./site/cli/serve-command.ts") },
  kernel: {
    summary: "kernel install: write a kernelspec that starts this checkout's tslab",
    load: () => import("./kernel/command.ts"),
  },
  doctor: {
    summary: "check Node, tslab, Jupyter, kernelspecs and the browser, with fixes",
    load: () => import("./commands/doctor.ts"),
  },
};

const EXAMPLES = [
  ["npx tsnb run notebooks/01-threading.ipynb --inplace", "execute a notebook; its outputs are stored in it"],
  ["npx tsnb grade notebooks/exercises/safe-counter.ipynb", "check an exercise"],
  ["npx tsnb check --fix notebooks/", "validate notebooks, and write them as Jupyter does"],
  ["npx tsnb kernel install --user", "let JupyterLab start this checkout's tslab"],
  ["npx tsnb doctor", "what is installed, and the fix for what is not"],
];

/** The top-level help: what tsnb is, its commands, examples. */
export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  const exWidth = Math.max(...EXAMPLES.map(([e]) => e!.length));
  const examples = EXAMPLES.map(([e, what]) => `  ${e!.padEnd(exWidth)}  ${what}`);
  return [
    "tsnb: the tooling of Lesson 18, Concurrent Programming, in TypeScript notebooks (tslab kernel).",
    "",
    "Usage: tsnb <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Examples:",
    ...examples,
    "",
    "Run `tsnb <command> --help` for a command's options; `tsnb --version` for the version.",
    "Exit status: 0 done, 1 something failed (the message says what and where), 2 bad usage.",
  ].join("\n");
}

function version(): string {
  const pkg = createRequire(import.meta.url)("../package.json") as { name: string; version: string };
  return `${pkg.name} ${pkg.version} (Node ${process.version})`;
}

/** Run the CLI; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    console.error(usage());
    return 2;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    // `tsnb help run` is `tsnb run --help`.
    if (rest[0] && COMMANDS[rest[0]]) return main([rest[0], "--help"]);
    console.log(usage());
    return 0;
  }
  if (name === "--version" || name === "-V") {
    console.log(version());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`tsnb: unknown command \`${name}\`\n\n${usage()}`);
    return 2;
  }
  try {
    const mod = await command.load();
    return await mod.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`tsnb ${name}: ${error.message}`);
      return 2;
    }
    if (error instanceof CourseError) {
      console.error(`tsnb ${name}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
