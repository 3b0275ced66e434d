import { describe, expect, it } from "vitest";
import { ansiToHtml, applyControlChars } from "../../src/site/render/ansi.ts";

const ESC = "\x1b";

describe("ansiToHtml", () => {
  it("maps the 16 basic colours and decorations to classes and escapes HTML", () => {
    expect(ansiToHtml(`<a>&${ESC}[1;31mred${ESC}[0m ${ESC}[92;44mx${ESC}[0m ${ESC}[4mu${ESC}[0m`)).toBe(
      '&#60;a&#62;&#38;<span class="ansi-red-fg ansi-bold">red</span> <span class="ansi-bright-green-fg ansi-blue-bg">x</span> <span class="ansi-underline">u</span>',
    );
  });

  it("renders 256-colour and true colours inline", () => {
    expect(ansiToHtml(`${ESC}[38;5;208mo${ESC}[0m${ESC}[48;2;1;2;3mt${ESC}[0m`)).toBe(
      '<span style="color:rgb(255, 135, 0)">o</span><span style="background-color:rgb(1, 2, 3)">t</span>',
    );
  });
});

describe("applyControlChars", () => {
  it("lets a carriage return overwrite the line and a backspace erase, keeping CRLF line ends", () => {
    expect(applyControlChars("10%\r50%\r100%\nab\r\ncd")).toBe("100%\nab\ncd");
    expect(applyControlChars("abcdef\rXY")).toBe("XYcdef");
    expect(applyControlChars("abc\b\bZ")).toBe("aZ");
  });
});
