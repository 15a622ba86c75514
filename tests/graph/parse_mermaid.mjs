// Parse a Mermaid diagram (stdin) with mermaid's own parser, as GitHub's renderer would: exit 1
// with the parser's message when it is refused. mermaid needs a DOM: jsdom provides one.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
try {
  const result = await mermaid.parse(readFileSync(0, "utf8"));
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(String(error.message || error));
  process.exit(1);
}
