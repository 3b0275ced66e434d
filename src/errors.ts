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

/** A notebook file that cannot be read as nbformat 4: names the file and the place. */
export class NotebookFormatError extends CourseError {
  readonly file: string;
  /** Where in the notebook, e.g. `line 3, column 7` or `cells[2].source`. */
  readonly where: string | undefined;

  constructor(file: string, where: string | undefined, detail: string, options?: { cause?: unknown }) {
    super("ERR_NOTEBOOK_INVALID", `${file}${where ? `: ${where}` : ""}: ${detail}`, options);
    this.file = file;
    this.where = where;
  }
}

/** Usage errors of the CLI: printed without a stack trace, exit status 2. */
export class UsageError extends CourseError {
  constructor(message: string) {
    super("ERR_USAGE", message);
  }
}
