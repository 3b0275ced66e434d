/**
 * Coded errors shared by the tsnb tooling. Every error carries a stable `code` a script can test,
 * and keeps its `cause`.
 */
export class CourseError extends Error {
  /** A stable, machine-readable code such as `ERR_NOTEBOOK_INVALID`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One problem of a notebook as {@link NotebookFormatError} lists it. */
export interface NotebookErrorProblem {
  /** e.g. `cells[3].outputs[0]` */
  where: string;
  message: string;
  line?: number | undefined;
  column?: number | undefined;
}

/** How many problems an error message lists before it says how many more there are. */
const LISTED = 10;

/** A notebook file that cannot be read as nbformat 4: names the file and the place. */
export class NotebookFormatError extends CourseError {
  readonly file: string;
  /** Where in the notebook, e.g. `line 3, column 7` or `cells[2].source`. */
  readonly where: string | undefined;
  /** Every problem found, each with its place (one, for an unreadable file). */
  readonly problems: NotebookErrorProblem[];

  constructor(
    file: string,
    where: string | undefined,
    detail: string,
    options?: { cause?: unknown; problems?: NotebookErrorProblem[] },
  ) {
    const problems = options?.problems ?? [{ where: where ?? "", message: detail }];
    super("ERR_NOTEBOOK_INVALID", options?.problems ? listProblems(file, problems) : `${file}${where ? `: ${where}` : ""}: ${detail}`, options);
    this.file = file;
    this.where = where;
    this.problems = problems;
  }
}

/** `file:line:column: where: message`, one per line, the first ten. */
function listProblems(file: string, problems: NotebookErrorProblem[]): string {
  const lines = problems.slice(0, LISTED).map((p) => {
    const place = p.line === undefined ? file : `${file}:${p.line}:${p.column ?? 1}`;
    return `${place}: ${p.where ? `${p.where}: ` : ""}${p.message}`;
  });
  if (problems.length > LISTED) lines.push(`... and ${problems.length - LISTED} more (tsnb check ${file} lists them all)`);
  return lines.join("\n");
}

/** Usage errors of the CLI: printed without a stack trace, exit status 2. */
export class UsageError extends CourseError {
  constructor(message: string) {
    super("ERR_USAGE", message);
  }
}
