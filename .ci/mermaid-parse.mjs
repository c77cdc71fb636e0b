// Parses Mermaid blocks with Mermaid's own parser, offline. Usage: node mermaid-parse.mjs FILE...
// Each FILE holds one diagram; prints one JSON line per file: {"file", "ok", "type", "config"|"error"}.
// "config" is what Mermaid took from the diagram's own directives and front matter: a test compares
// it with the report's own init line, so a label cannot smuggle in a directive (themeCSS, palette).
// mermaid.parse needs a DOM (DOMPurify runs at import): jsdom provides one.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const name of ['DOMParser', 'Element', 'HTMLElement', 'Node', 'SVGElement', 'DocumentFragment']) {
  globalThis[name] ??= dom.window[name];
}
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  try {
    const result = await mermaid.parse(text);
    console.log(JSON.stringify({ file, ok: true, type: result.diagramType, config: result.config ?? {} }));
  } catch (e) {
    failed++;
    console.log(JSON.stringify({ file, ok: false, error: String(e?.message ?? e) }));
  }
}
process.exit(failed ? 1 : 0);
