// Validates the event catalog (docs/asyncapi.yaml) with the AsyncAPI parser, then checks that
// every event the contracts write (one of every type, from `contracts_examples`) is a message
// of its topic's channel whose payload and key validate against the catalog's schemas, that
// every message of the catalog has such an example, and that a broken copy of each fails.
//
//   node check.mjs <asyncapi.yaml> <contracts_examples binary>
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const [specPath, examplesBinary] = process.argv.slice(2);
const failures = [];
const fail = (message) => failures.push(message);

const parser = new Parser();
const { document, diagnostics } = await parser.parse(readFileSync(specPath, 'utf8'));
for (const d of diagnostics.filter((d) => d.severity === 0)) fail(`asyncapi: ${d.message} at ${d.path.join('.')}`);
if (!document) {
  console.error(failures.join('\n'));
  process.exit(1);
}
const warnings = diagnostics.filter((d) => d.severity === 1);
for (const w of warnings) console.log(`asyncapi warning: ${w.message} at ${w.path.join('.')}`);

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

// channel address -> message name -> { payload validator, key validator }
const catalog = new Map();
for (const channel of document.channels()) {
  const messages = new Map();
  for (const message of channel.messages()) {
    const payload = ajv.compile(message.payload().json());
    const keySchema = message.bindings().get('kafka')?.value()?.key;
    messages.set(message.name(), { payload, key: keySchema ? ajv.compile(keySchema) : null, seen: false });
  }
  catalog.set(channel.address(), messages);
}

const lines = execFileSync(examplesBinary, { encoding: 'utf8' }).split('\n').filter(Boolean);
let checked = 0;
for (const line of lines) {
  const { topic, key, message } = JSON.parse(line);
  const messages = catalog.get(topic);
  if (!messages) {
    fail(`${topic}: no channel of that address in the catalog`);
    continue;
  }
  const entry = messages.get(message.type);
  if (!entry) {
    fail(`${topic}: no message named ${message.type} in the catalog`);
    continue;
  }
  entry.seen = true;
  if (!entry.payload(message)) fail(`${message.type}: ${ajv.errorsText(entry.payload.errors)}\n  ${line}`);
  if (entry.key && !entry.key(key)) fail(`${message.type}: key ${JSON.stringify(key)}: ${ajv.errorsText(entry.key.errors)}`);
  // The schemas must be able to say no: a float amount, a missing field, an unknown one.
  const broken = structuredClone(message);
  const field = Object.keys(broken.data).find((k) => typeof broken.data[k] === 'number') ?? Object.keys(broken.data)[0];
  broken.data[field] = typeof broken.data[field] === 'number' ? 'not a number' : 12.5;
  broken.data.unexpected_field = true;
  if (entry.payload(broken)) fail(`${message.type}: a broken copy (${field}, an unknown field) validates`);
  checked += 1;
}
for (const [address, messages] of catalog) {
  for (const [name, entry] of messages) if (!entry.seen) fail(`${address}/${name}: no event of this type was checked`);
}

if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log(`asyncapi: ${document.channels().length} channels, ${checked} events as the contracts write them: all valid`);
