#!/usr/bin/env node
// Entry point of the `tsnb` CLI. The tooling is written in TypeScript: the site commands, the help and
// the version run from a bundle of their sources built at install (bin/prebuilt.mjs: no loader to start,
// nothing transpiled); every other command through tsx's loader, so a fresh clone works after `npm ci`
// with no build step and no global install.
import { bundledMain } from "./prebuilt.mjs";

const argv = process.argv.slice(2);
let main = await bundledMain(argv);
if (!main) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/cli.ts"));
}
process.exitCode = await main(argv);
