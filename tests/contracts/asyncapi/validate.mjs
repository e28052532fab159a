// Validate AsyncAPI documents with the official parser (@asyncapi/parser).
// Usage: node validate.mjs FILE...  Prints one JSON line per file:
// {"file": ..., "errors": [...], "warnings": [...], "version": ..., "channels": N, "operations": N}
import { readFile } from 'node:fs/promises';
import { Parser } from '@asyncapi/parser';

const parser = new Parser();
for (const file of process.argv.slice(2)) {
  const text = await readFile(file, 'utf8');
  const { document, diagnostics } = await parser.parse(text);
  const show = (d) => `${d.code}: ${d.message} at /${(d.path || []).join('/')}`;
  console.log(JSON.stringify({
    file,
    errors: diagnostics.filter((d) => d.severity === 0).map(show),
    warnings: diagnostics.filter((d) => d.severity === 1).map(show),
    version: document ? document.version() : null,
    channels: document ? document.channels().length : 0,
    operations: document ? document.operations().length : 0,
    messages: document ? document.messages().length : 0,
  }));
}
