// graphql-js side of the comparison: the same documents, schema and in-memory data as
// graphql_benchmark.cpp. Prints JSON: {name: {median ops/s}} for each phase.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const here = new URL('.', import.meta.url).pathname;
const require = createRequire(`${here}../../tests/graphql-conformance/package.json`);
const graphql = require('graphql');

const schema = graphql.buildSchema(readFileSync(`${here}../../libs/graphql/tests/data/seed_schema.graphql`, 'utf8'));
const data = JSON.parse(readFileSync(`${here}seed_data.json`, 'utf8'));
const rootValue = {
  accounts: ({ id }) => data.accounts.filter((account) => id === undefined || account.id === id),
};
const accountQuery = `query {
  accounts(id: 1) {
    id
    name
    email
    Orders {
      id
      totalPrice
      createdAt
      products {
        id
        name
        price
        quantity
      }
    }
  }
}`;
const documents = [accountQuery, readFileSync(`${here}introspection_query.graphql`, 'utf8')];

// Process CPU time, not wall time: the benchmark machine is shared, and Google Benchmark's side is
// also compared by CPU time.
function cpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function opsPerSecond(fn) {
  for (let i = 0; i < 200; i++) fn();  // warm up the JIT
  const runs = [];
  for (let r = 0; r < 7; r++) {
    let iterations = 0;
    const start = cpuSeconds();
    let elapsed = 0;
    while (elapsed < 0.3) {
      for (let i = 0; i < 20; i++) fn();
      iterations += 20;
      elapsed = cpuSeconds() - start;
    }
    runs.push(iterations / elapsed);
  }
  runs.sort((a, b) => a - b);
  return runs[3];
}

const results = {};
documents.forEach((text, which) => {
  const document = graphql.parse(text);
  if (graphql.validate(schema, document).length) throw new Error('benchmark document is invalid');
  results[`BM_Parse/introspection:${which}`] = opsPerSecond(() => graphql.parse(text));
  results[`BM_Validate/introspection:${which}`] = opsPerSecond(() => graphql.validate(schema, document));
  results[`BM_Execute/introspection:${which}`] = opsPerSecond(() => graphql.execute({ schema, document, rootValue }));
  results[`BM_Pipeline/introspection:${which}`] = opsPerSecond(() => {
    const parsed = graphql.parse(text);
    if (graphql.validate(schema, parsed).length) throw new Error('invalid');
    return JSON.stringify(graphql.execute({ schema, document: parsed, rootValue }));
  });
});
console.log(JSON.stringify(results));
