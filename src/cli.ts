import { CourseError, UsageError } from "./errors.ts";

/**
 * `tsnb`: one CLI for the course kit. Each command lives in its own module and is loaded on demand,
 * so `tsnb --help` stays fast and one command's dependencies never slow another.
 */
type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  start: { summary: "the main job: execute the lesson notebooks into build/ and render the site", load: () => import("./commands/start.ts") },
  run: { summary: "execute notebooks through the tslab kernel (embedded, or --server URL)", load: () => import("./execute/command.ts") },
  grade: { summary: "grade exercise submissions (.ipynb or .ts) with the vitest suites", load: () => import("./grade/command.ts") },
  release: { summary: "turn instructor notebooks (BEGIN/END SOLUTION) into learner notebooks", load: () => import("./grade/release-command.ts") },
  site: { summary: "render the notebooks as a static lesson site", load: () => import("./site/command.ts") },
  serve: { summary: "serve the static site on 127.0.0.1", load: () => import("./site/serve-command.ts") },
  kernel: { summary: "kernel install: write a kernelspec that starts this checkout's tslab", load: () => import("./kernel/command.ts") },
  doctor: { summary: "check Node, tslab, Jupyter, kernelspecs and the browser, with fixes", load: () => import("./commands/doctor.ts") },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: tsnb <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun \`tsnb <command> --help\` for a command's options.`;
}

/** Run the CLI; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name ? 0 : 2;
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
