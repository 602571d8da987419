// Runs graphql-ws clients (the npm client a browser app would use) as a test describes them and records
// what each receives.
//   node subscribers.mjs <spec.json> <result.json>
// spec: {"timeout_ms": 60000, "settle_ms": 1000, "subscribers": [{"name", "url", "token"?, "query",
//        "variables"?, "expect_events"?, "retry"?}]}
// Each subscriber is its own client (its own socket). The run ends once every subscriber has its
// expected number of events (0: none is expected), an error or a completion (or at the timeout); it then waits settle_ms
// more, so that an event that should not come has the chance to show, and writes
// [{"name", "events": [payload...], "errors", "completed", "connected", "closes": [code...]}].
import { readFileSync, writeFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [specPath, resultPath] = process.argv.slice(2);
if (!specPath || !resultPath) {
  console.error('usage: node subscribers.mjs <spec.json> <result.json>');
  process.exit(2);
}
const spec = JSON.parse(readFileSync(specPath, 'utf8'));
const results = [];
const clients = [];
let open = spec.subscribers.length;
let allDone;
const done = new Promise((resolve) => (allDone = resolve));
if (open === 0) allDone();

for (const subscriber of spec.subscribers) {
  const result = { name: subscriber.name, events: [], errors: null, completed: false, connected: 0, closes: [] };
  results.push(result);
  const client = createClient({
    url: subscriber.url,
    webSocketImpl: WebSocket,
    connectionParams: subscriber.token ? { authorization: `Bearer ${subscriber.token}` } : undefined,
    retryAttempts: subscriber.retry ? 1000 : 0,
    retryWait: () => new Promise((resolve) => setTimeout(resolve, 200)),
    on: {
      connected: () => (result.connected += 1),
      closed: (event) => result.closes.push(event && typeof event.code === 'number' ? event.code : null),
    },
  });
  clients.push(client);
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    if (--open === 0) allDone();
  };
  // A subscriber that should hear nothing counts as done at once; the settle time below is its chance to
  // hear something anyway.
  if (subscriber.expect_events === 0) finish();
  client.subscribe(
    { query: subscriber.query, variables: subscriber.variables ?? {} },
    {
      next: (payload) => {
        result.events.push(payload);
        if (subscriber.expect_events && result.events.length >= subscriber.expect_events) finish();
      },
      error: (error) => {
        result.errors = Array.isArray(error) ? error : [{ message: String(error?.reason ?? error?.message ?? error), code: error?.code }];
        finish();
      },
      complete: () => {
        result.completed = true;
        finish();
      },
    },
  );
}

await Promise.race([done, new Promise((resolve) => setTimeout(resolve, spec.timeout_ms ?? 60000))]);
await new Promise((resolve) => setTimeout(resolve, spec.settle_ms ?? 1000));
writeFileSync(resultPath, JSON.stringify(results));
await Promise.all(clients.map((client) => client.dispose()));
process.exit(0);
