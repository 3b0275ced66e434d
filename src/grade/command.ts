import { CourseError } from "../errors.ts";

/** Not built yet: see the open issues. */
export async function run(_argv: string[]): Promise<number> {
  throw new CourseError("ERR_NOT_IMPLEMENTED", "this command is not built yet");
}
