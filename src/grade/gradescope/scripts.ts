/**
 * The two scripts Gradescope runs (its autograder specification): setup.sh once, as root, in
 * /autograder/source when it builds the image (Ubuntu); run_autograder for each submission, copied
 * to /autograder/run_autograder and started in /autograder.
 */

/** The Node release line setup.sh installs when the image has no Node >= 20.19. */
export const NODE_MAJOR = 22;

export const SETUP_SH = `#!/usr/bin/env bash
# Gradescope runs this once, as root, in /autograder/source, when it builds the autograder image.
# Node >= 20.19 is installed only when no such Node is on PATH; then the grader's dependencies,
# exactly as package-lock.json pins them.
set -euo pipefail
cd "$(dirname "$0")"

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'
}

if node_ok; then
  echo "setup.sh: using Node $(node --version) at $(command -v node)"
else
  echo "setup.sh: installing Node ${NODE_MAJOR} (NodeSource)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y ca-certificates curl gnupg
  curl -fsSL https://deb.nodesource.com/setup_${NODE_MAJOR}.x | bash -
  apt-get install -y nodejs
  node_ok || { echo "setup.sh: Node >= 20.19 is still missing after the install" >&2; exit 1; }
fi

# npm ci honours npm_config_* from the environment (e.g. npm_config_offline=true to install from the cache).
npm ci --omit=dev --no-audit --no-fund
echo "setup.sh: done"
`;

export const RUN_AUTOGRADER = `#!/usr/bin/env bash
# Gradescope runs this for each submission (as /autograder/run_autograder, in /autograder).
# It always leaves one results.json: when the grader itself cannot run, a score of 0 and the reason.
ROOT="\${AUTOGRADER_ROOT:-/autograder}"
RESULTS="$ROOT/results/results.json"
mkdir -p "$ROOT/results"
rm -f "$RESULTS"
cd "$ROOT/source" || exit 0
AUTOGRADER_ROOT="$ROOT" node --import tsx --no-warnings src/grade/gradescope/run-autograder.ts
status=$?
if [ ! -s "$RESULTS" ]; then
  printf '%s\\n' '{"score": 0, "execution_time": 0, "output": "The autograder could not run (exit status '"$status"'). This is not your fault: tell your instructor.", "output_format": "text", "test_output_format": "text", "stdout_visibility": "hidden", "visibility": "visible", "tests": []}' > "$RESULTS"
fi
exit 0
`;
