import { SITE_HELP } from "./args.ts";

/** `tsnb site`: build the site, print the summary table and where the site is. */
export async function run(argv: string[]): Promise<number> {
  const { runSiteBuild } = await import("./run-build.ts");
  return runSiteBuild(argv, SITE_HELP);
}
