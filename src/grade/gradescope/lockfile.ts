/**
 * A package-lock.json for the autograder zip: the repository's lockfile cut down to the packages
 * the grader needs (and what they depend on), so `npm ci` in setup.sh installs exactly the versions
 * this checkout was tested with, and nothing for the site, the kernel or the browser.
 */
import { CourseError } from "../../errors.ts";

interface LockPackage {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  link?: boolean;
  [key: string]: unknown;
}

export interface Lockfile {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockPackage>;
}

/** Where Node would find `name` from the package at `from` (a lockfile key): nested node_modules first, then up. */
function resolveIn(packages: Record<string, LockPackage>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const key = `${base ? `${base}/` : ""}node_modules/${name}`;
    if (packages[key]) return key;
    if (!base) return undefined;
    const at = base.lastIndexOf("/node_modules/");
    base = at < 0 ? "" : base.slice(0, at);
  }
}

/**
 * The lockfile of a project named `name` whose dependencies are `dependencies` (names with their
 * ranges), cut from `lock` (lockfileVersion 2 or 3). Optional dependencies missing from the lock
 * (another platform's binaries) are skipped, as npm does; a required one missing is an error.
 */
export function subsetLockfile(lock: Lockfile, name: string, dependencies: Record<string, string>): Lockfile {
  if (!(lock.lockfileVersion >= 2) || typeof lock.packages !== "object")
    throw new CourseError(
      "ERR_LOCKFILE",
      `package-lock.json: lockfileVersion ${lock.lockfileVersion} has no "packages" (run npm install with npm 7 or newer)`,
    );
  // key -> whether some path to it is required (else it is only an optional dependency's, e.g. another
  // platform's esbuild binary, which npm skips where it does not fit).
  const keep = new Map<string, boolean>();
  const visit = (from: string, dep: string, optional: boolean) => {
    const key = resolveIn(lock.packages, from, dep);
    if (key === undefined) {
      if (optional) return;
      throw new CourseError(
        "ERR_LOCKFILE",
        `package-lock.json: ${dep} (needed by ${from || name}) is not in the lockfile: run npm install`,
      );
    }
    const seen = keep.get(key);
    if (seen === true || (seen === false && optional)) return;
    keep.set(key, !optional);
    const pkg = lock.packages[key]!;
    for (const d of Object.keys(pkg.dependencies ?? {})) visit(key, d, optional);
    for (const d of Object.keys(pkg.optionalDependencies ?? {})) visit(key, d, true);
    // npm 7+ installs peers too (unless optional).
    for (const d of Object.keys(pkg.peerDependencies ?? {}))
      visit(key, d, optional || pkg.peerDependenciesMeta?.[d]?.optional === true);
  };
  for (const dep of Object.keys(dependencies)) visit("", dep, false);
  const packages: Record<string, LockPackage> = {
    "": { name, version: "1.0.0", dependencies: { ...dependencies } },
  };
  for (const [key, required] of [...keep].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // Everything is a production dependency here: the repository's dev flags would make
    // `npm ci --omit=dev` skip vitest. Only-optional packages stay optional.
    const { dev: _dev, devOptional: _devOptional, peer: _peer, optional: _optional, ...pkg } = lock.packages[key]!;
    packages[key] = required ? pkg : { ...pkg, optional: true };
  }
  return { name, version: "1.0.0", lockfileVersion: 3, requires: true, packages };
}
