import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./errors.ts";

/**
 * `parseArgs` for a tsnb command: an unknown option, a missing value or a stray argument becomes a
 * `UsageError` (exit status 2, no stack trace), e.g. ``Unknown option '--bogus' (see --help)``.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see --help)`);
  }
}

/** The flags every command spells the same: `-j/--jobs N`, `--timeout S`, `-o/--out DIR`. */
export const JOBS_OPTION = { jobs: { type: "string", short: "j" } } as const;
export const TIMEOUT_OPTION = { timeout: { type: "string" } } as const;
/**
 * `-o/--out DIR`, the folder a command writes (or serves). Old spellings stay as aliases, declared by
 * the command that had them (`--output` of tsnb run, `-d/--dir` of tsnb serve): read with {@link outFlag}.
 */
export const OUT_OPTION = { out: { type: "string", short: "o" } } as const;

/** `--jobs N`: an integer from 1 up; `fallback` when absent. */
export function jobsFlag(value: string | undefined, fallback = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(n) || n < 1)
    throw new UsageError(`--jobs expects an integer from 1 up, got \`${value}\``);
  return n;
}

/** A number of seconds above 0 (`--timeout S`, `--start-timeout S`); `fallback` when absent. */
export function secondsFlag(flag: string, value: string | undefined): number | undefined;
export function secondsFlag(flag: string, value: string | undefined, fallback: number): number;
export function secondsFlag(flag: string, value: string | undefined, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`${flag} expects a number of seconds above 0, got \`${value}\``);
  return n;
}

/** The folder of `-o/--out DIR` or an alias (`--output`, `--dir`); two different ones are refused. */
export function outFlag(values: {
  out?: string | undefined;
  output?: string | undefined;
  dir?: string | undefined;
}): string | undefined {
  const given = (["out", "output", "dir"] as const).filter((k) => values[k] !== undefined);
  const distinct = new Set(given.map((k) => values[k]));
  if (distinct.size > 1)
    throw new UsageError(`${given.map((k) => `--${k}`).join(" and ")} name different folders: give one (-o/--out DIR)`);
  return given.length ? values[given[0]!] : undefined;
}
