/** One benchmark figure: a ratio against the raw library or the Python original, or a report value. */
export interface Figure {
  value: number;
  /** e.g. "<= 0.7" or ">= 1.6"; absent for report-only figures. */
  target?: string;
  unit?: string;
  note?: string;
}

export interface BenchContext {
  /** Progress to stderr (stdout is kept for the table or the JSON). */
  log(message: string): void;
  /** The repository root. */
  root: string;
}
