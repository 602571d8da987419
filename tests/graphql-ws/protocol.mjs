// Speaks graphql-transport-ws by hand (the `ws` package, no graphql-ws client) to check how the gateway
// answers what a well-behaved client never sends.
//   node protocol.mjs <ws url> <valid token> <result.json>
// Writes {"<case>": {"code": <close code>, "reason": "...", "messages": [...]}}.
import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';

const [url, token, resultPath] = process.argv.slice(2);
if (!url || !resultPath) {
  console.error('usage: node protocol.mjs <ws url> <token> <result.json>');
  process.exit(2);
}

// Opens a socket, runs `steps` once it is open, and resolves with the close code and what arrived.
function run(steps, { protocol = 'graphql-transport-ws', limitMs = 15000 } = {}) {
  return new Promise((resolve) => {
    const messages = [];
    const socket = new WebSocket(url, protocol ? [protocol] : []);
    const timer = setTimeout(() => {
      socket.terminate();
      resolve({ code: 'no close', messages });
    }, limitMs);
    socket.on('message', (data, binary) => messages.push(binary ? '<binary>' : JSON.parse(String(data))));
    socket.on('open', () => steps(socket, messages));
    socket.on('error', () => {});
    socket.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: String(reason), protocol: socket.protocol, messages });
    });
  });
}

const send = (socket, message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message));
const init = (socket, payload) => send(socket, { type: 'connection_init', ...(payload ? { payload } : {}) });
const subscribe = (socket, id, query) => send(socket, { id, type: 'subscribe', payload: { query } });
// Waits for the ack before the next steps.
const afterAck = (socket, messages, then) => {
  const check = setInterval(() => {
    if (messages.some((m) => m.type === 'connection_ack')) {
      clearInterval(check);
      then();
    }
  }, 5);
};
const closeWhen = (socket, messages, predicate) => {
  const check = setInterval(() => {
    if (predicate(messages)) {
      clearInterval(check);
      socket.close(1000);
    }
  }, 5);
};

const cases = {
  no_init: (s) => {},
  subscribe_before_init: (s) => subscribe(s, '1', '{ __typename }'),
  bad_token: (s) => init(s, { authorization: 'Bearer not.a.token' }),
  malformed_authorization: (s) => init(s, { Authorization: token }),
  two_inits: (s, m) => {
    init(s);
    init(s);
  },
  not_json: (s) => send(s, '{"type": "connection_init"'),
  unknown_type: (s) => send(s, { type: 'start', id: '1', payload: { query: '{ __typename }' } }),
  server_message_from_client: (s) => send(s, { type: 'next', id: '1', payload: {} }),
  binary_frame: (s) => s.send(Buffer.from([1, 2, 3]), { binary: true }),
  oversized_message: (s) => send(s, { type: 'connection_init', payload: { padding: 'x'.repeat(70 * 1024) } }),
  subscribe_without_id: (s, m) => {
    init(s);
    afterAck(s, m, () => send(s, { type: 'subscribe', payload: { query: '{ __typename }' } }));
  },
  duplicate_id: (s, m) => {
    init(s, { authorization: `Bearer ${token}` });
    afterAck(s, m, () => {
      subscribe(s, 'same', 'subscription { orderStatusChanged { id } }');
      subscribe(s, 'same', 'subscription { orderStatusChanged { id } }');
    });
  },
  // Not closes: answers on an open socket.
  anonymous_subscription: (s, m) => {
    init(s);
    afterAck(s, m, () => subscribe(s, 'a', 'subscription { orderStatusChanged { id } }'));
    closeWhen(s, m, (all) => all.some((x) => x.id === 'a' && (x.type === 'error' || x.type === 'complete')));
  },
  invalid_document: (s, m) => {
    init(s);
    afterAck(s, m, () => subscribe(s, 'v', '{ nope }'));
    closeWhen(s, m, (all) => all.some((x) => x.id === 'v'));
  },
  query_and_ping: (s, m) => {
    init(s, { authorization: `Bearer ${token}` });
    afterAck(s, m, () => {
      send(s, { type: 'ping' });
      subscribe(s, 'q', '{ me { id } }');
    });
    closeWhen(s, m, (all) => all.some((x) => x.id === 'q' && x.type === 'complete') && all.some((x) => x.type === 'pong'));
  },
  complete_unknown_id: (s, m) => {
    init(s);
    afterAck(s, m, () => {
      send(s, { type: 'complete', id: 'never-started' });
      send(s, { type: 'ping' });
    });
    closeWhen(s, m, (all) => all.some((x) => x.type === 'pong'));
  },
};

const results = {};
const runs = Object.entries(cases).map(async ([name, steps]) => {
  results[name] = await run(steps);
});
runs.push(
  (async () => {
    results.no_subprotocol = await run(() => {}, { protocol: null });
  })(),
);
await Promise.all(runs);
writeFileSync(resultPath, JSON.stringify(results));
process.exit(0);
