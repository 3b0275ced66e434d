import path from "node:path";
import { buildSite } from "../build/build-site.ts";
import { parseSiteArgs } from "./args.ts";
import { executionProgress, summaryTable } from "./report.ts";
import { serveUntilInterrupted } from "./serve-command.ts";

/**
 * Build the site as `tsnb site` / `npm start` do: progress while lessons execute, Ctrl-C shuts the
 * kernels down (the pages are still built from what ran), then the summary table, where the site is
 * and how to serve it. Exit status 0, 1 when a notebook failed, 130 after Ctrl-C.
 */
export async function runSiteBuild(argv: string[], help: string): Promise<number> {
  const args = parseSiteArgs(argv);
  if (args === "help") {
    console.log(help);
    return 0;
  }
  const controller = new AbortController();
  const onSigint = () => {
    process.stderr.write("\nInterrupted: shutting the kernels down; the site is built from what ran.\n");
    controller.abort();
  };
  process.once("SIGINT", onSigint);
  const progress = executionProgress(process.stderr);
  let summary;
  try {
    summary = await buildSite({
      ...args.options,
      signal: controller.signal,
      onPlan: progress.plan,
      onExecuteProgress: progress.event,
    });
  } finally {
    process.off("SIGINT", onSigint);
  }
  const root = args.options.root ?? process.cwd();
  const notebooksDir = path.resolve(root, args.options.notebooksDir ?? "notebooks");
  const rel = (p: string) => {
    const r = path.relative(process.cwd(), p);
    return r.startsWith("..") ? p : r || ".";
  };
  console.log(
    summary.pages.length ? summaryTable(summary, notebooksDir) : `No notebooks in ${rel(notebooksDir)}/ yet.`,
  );
  const pageCount = summary.pages.filter((p) => p.status !== "invalid").length;
  console.log(
    `\nSite: ${rel(summary.index)} (${pageCount} page${pageCount === 1 ? "" : "s"}, built in ${(summary.elapsedMs / 1000).toFixed(1)} s)`,
  );
  console.log(`  open ${summary.url}`);
  if (!args.serve)
    console.log(`  or serve it: npx tsnb serve${args.options.outDir ? ` --out ${rel(summary.outDir)}` : ""}`);
  const status = controller.signal.aborted ? 130 : summary.failed ? 1 : 0;
  if (args.serve && !controller.signal.aborted) {
    const served = await serveUntilInterrupted({ dir: summary.outDir, port: args.port });
    return status || served;
  }
  return status;
}
