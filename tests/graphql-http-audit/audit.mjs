// Runs every graphql-http server audit against a GraphQL endpoint.
//   node audit.mjs http://127.0.0.1:8080/graphql
// Prints one line per audit that is not ok and a summary; exits 1 when a MUST audit fails.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}

const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  counts[result.status] += 1;
  if (result.status !== 'ok') {
    console.log(`${result.status.toUpperCase()} ${result.id} ${result.name}: ${result.reason}`);
  }
}
console.log(`audits: ${counts.ok} ok, ${counts.notice} notice, ${counts.warn} warn (SHOULD), ${counts.error} error (MUST)`);
process.exit(counts.error === 0 ? 0 : 1);
