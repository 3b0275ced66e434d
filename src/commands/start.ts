/**
 * `npm start` (`tsnb start`), the main job: execute every out-of-date lesson notebook under
 * notebooks/ into the git-ignored build/executed/ with progress and a summary table, then build the
 * site (lessons and exercises) into build/site/ and say where it is and how to serve it.
 * The same work as `tsnb site`, which takes the same options.
 */
export async function run(argv: string[]): Promise<number> {
  const [{ runSiteBuild }, { START_HELP }] = await Promise.all([
    import("../site/cli/run-build.ts"),
    import("../site/cli/args.ts"),
  ]);
  return runSiteBuild(argv, START_HELP);
}
