// Runs a subscription the way the playground's GraphiQL does: @graphiql/toolkit's createGraphiQLFetcher
// with the options the page gives it (queries over HTTP, subscriptions over a WebSocket to the same path),
// and the Authorization header from GraphiQL's Headers tab.
//   node playground.mjs <http base url> <token> <order id> <result.json>
// Prints "subscribed" on stderr once the subscription went out; writes the first result it receives.
import { writeFileSync } from 'node:fs';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { parse } from 'graphql';
import WebSocket from 'ws';

globalThis.WebSocket = WebSocket;  // a browser has one
const [base, token, orderId, resultPath] = process.argv.slice(2);
const location = new URL(base);
// As in services/gateway/src/playground.cpp:
const fetcher = createGraphiQLFetcher({
  url: `${base}/graphql`,
  subscriptionUrl: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql',
  fetch,
});
const headers = { Authorization: `Bearer ${token}` };

// GraphiQL's HTTP fetcher answers with a result or, for incremental delivery, an async iterable of them.
const firstOf = async (answer) => {
  if (!answer || typeof answer[Symbol.asyncIterator] !== 'function') return answer;
  for await (const result of answer) return result;
};
const me = await firstOf(await fetcher({ query: '{ me { id } }' }, { documentAST: parse('{ me { id } }'), headers }));
const query = `subscription Watch { orderStatusChanged(orderId: ${orderId}) { id status } }`;
const stream = await fetcher({ query, operationName: 'Watch' }, { documentAST: parse(query), headers });
console.error('subscribed');
const timer = setTimeout(() => {
  writeFileSync(resultPath, JSON.stringify({ me, first: 'timed out' }));
  process.exit(1);
}, 60000);
for await (const result of stream) {
  clearTimeout(timer);
  writeFileSync(resultPath, JSON.stringify({ me, first: result }));
  process.exit(0);
}
