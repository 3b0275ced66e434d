#!/usr/bin/env node
// Entry point of the `tsnb` CLI. The tooling is written in TypeScript and run through tsx's loader,
// so a fresh clone works after `npm ci` with no build step and no global install.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
