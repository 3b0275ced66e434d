// The one solution-marker parser, used by `tsnb release` and the site's learner view.
import { describe, expect, it } from "vitest";
import { replaceSolutions, SolutionMarkerError, STUB } from "../../src/grade/solution-markers.ts";
import { releaseSource } from "../../src/grade/release.ts";
import { stripSolutions } from "../../src/site/build/learner-view.ts";

const strict = { onUnpaired: "throw", where: "nb.ipynb: cell 2" } as const;
const lenient = { onUnpaired: "hide-rest" } as const;

describe("replaceSolutions", () => {
  it("release and the site give the same text for well-formed markers (one parser)", () => {
    const sources = [
      "f() {\n  // BEGIN SOLUTION\n  return 1;\n  // END SOLUTION\n}\n",
      "// BEGIN SOLUTION: a hint after the marker\nsecret();\n//END SOLUTION\nafter();",
      "no markers at all\n",
      "a();\r\n  // BEGIN SOLUTION\r\n  b();\r\n  // END SOLUTION\r\nc();\r\n",
    ];
    for (const s of sources) expect(releaseSource(s, "x")).toBe(stripSolutions(s));
    expect(replaceSolutions(sources[3]!, strict)).toBe(`a();\r\n  ${STUB}\r\nc();\r\n`);
  });

  it("the stub ends as the END line ended", () => {
    expect(replaceSolutions("// BEGIN SOLUTION\nx\n// END SOLUTION", strict)).toBe(STUB);
    expect(replaceSolutions("// BEGIN SOLUTION\nx\n// END SOLUTION\n", strict)).toBe(`${STUB}\n`);
  });

  it("does not take a longer word for a marker", () => {
    expect(replaceSolutions("// BEGIN SOLUTIONS are below\nx\n", strict)).toBe("// BEGIN SOLUTIONS are below\nx\n");
  });

  it("unpaired markers: release names the place, the site hides the rest", () => {
    const nested = "// BEGIN SOLUTION\na\n// BEGIN SOLUTION\nb\n// END SOLUTION\nc\n";
    expect(() => replaceSolutions(nested, strict)).toThrow(SolutionMarkerError);
    expect(() => replaceSolutions(nested, strict)).toThrow(
      /nb\.ipynb: cell 2, line 3: BEGIN SOLUTION inside the region opened on line 1/,
    );
    expect(replaceSolutions(nested, lenient)).toBe(`${STUB}\nc\n`);
    expect(replaceSolutions("ok\n// END SOLUTION\nshown\n", lenient)).toBe("ok\nshown\n");
    expect(replaceSolutions("ok\n// BEGIN SOLUTION\nsecret\n", lenient)).toBe(`ok\n${STUB}\n`);
  });
});
