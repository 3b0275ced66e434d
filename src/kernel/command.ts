import { UsageError } from "../errors.ts";
import { KERNEL_NAME, installKernelSpec, kernelsDir, tslabKernelSpec } from "./kernelspec.ts";
import { parseCommandArgs } from "../cli-args.ts";

export const HELP = `Usage: tsnb kernel install [--user | --prefix P] [--name N]

Write a Jupyter kernelspec (kernel.json) that starts this checkout's tslab with this Node, both by
absolute path, so JupyterLab or \`jupyter server\` runs the same kernel as \`tsnb run\`.

  --user       install for the current user (the default): $JUPYTER_DATA_DIR/kernels, or
               ~/.local/share/jupyter/kernels (Linux), ~/Library/Jupyter/kernels (macOS)
  --prefix P   install into P/share/jupyter/kernels (e.g. a conda env: --prefix "$CONDA_PREFIX")
  --name N     the kernelspec name (default: tslab)
  -h, --help   this help

Run it again after moving the checkout or changing Node. Check with \`jupyter kernelspec list\` or
\`tsnb doctor\`.

Examples:
  tsnb kernel install                           # for you; JupyterLab then offers "TypeScript"
  tsnb kernel install --prefix "$CONDA_PREFIX"  # inside the course's conda environment`;

/** `tsnb kernel install`. */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    console.log(HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== "install") throw new UsageError(`unknown subcommand \`${sub}\` (expected: install)`);
  const { values } = parseCommandArgs({
    args: rest,
    options: {
      user: { type: "boolean" },
      prefix: { type: "string" },
      name: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.user && values.prefix !== undefined) throw new UsageError("--user and --prefix exclude each other");
  const name = values.name ?? "tslab";
  if (!KERNEL_NAME.test(name))
    throw new UsageError(`--name: a kernel name is letters, digits, '.', '_' or '-', got \`${name}\``);
  const spec = tslabKernelSpec();
  const file = await installKernelSpec(kernelsDir({ prefix: values.prefix }), name, spec);
  console.log(`Installed kernelspec "${name}" (${spec.display_name}) in ${file}\n  starts: ${spec.argv.join(" ")}`);
  return 0;
}
