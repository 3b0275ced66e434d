import { spawnSync } from "node:child_process";

/** True under CI (`CI=true`), where a missing component fails the run instead of skipping. */
export const inCI = /^(true|1)$/i.test(process.env["CI"] ?? "");

/** Whether a command is on PATH. */
export function onPath(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${JSON.stringify(command)}`], { stdio: "ignore" }).status === 0;
}

/**
 * Gate a suite on a real component (jupyter server, chromium, python3 ...).
 * Present: returns true. Missing on a laptop: prints how to install it and returns false (use with
 * `describe.skipIf(!need(...))`). Missing under CI=true: throws, so the run fails instead of passing by skipping.
 */
export function need(component: string, found: boolean, install: string): boolean {
  if (found) return true;
  const message = `${component} is not installed (install it with: ${install})`;
  if (inCI) throw new Error(`CI=true but ${message}`);
  console.warn(`skipping tests that need ${message}`);
  return false;
}
