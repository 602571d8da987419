// Checks the gateway's WebSocket limits from a client's side; the gateway under test runs with
// GATEWAY_WS_MAX_CONNECTIONS_PER_ADDRESS=3, GATEWAY_WS_MAX_BUFFERED_BYTES=65536 and
// GATEWAY_WS_IDLE_TIMEOUT_SECONDS=1.
//   node limits.mjs <ws url> <the gateway's /metrics url> <introspection query file> <result.json>
// Writes {"per_address": {...}, "slow_reader": {...}, "idle": {...}}.
import { readFileSync, writeFileSync } from 'node:fs';
import WebSocket from 'ws';

const [url, metrics, introspectionPath, resultPath] = process.argv.slice(2);
const introspection = readFileSync(introspectionPath, 'utf8');

const open = () =>
  new Promise((resolve) => {
    const socket = new WebSocket(url, ['graphql-transport-ws']);
    socket.on('open', () => resolve({ socket }));
    socket.on('unexpected-response', (request, response) => resolve({ status: response.statusCode }));
    socket.on('error', (error) => resolve({ error: String(error.message) }));
  });
const closed = (socket) => new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
const acked = (socket) =>
  new Promise((resolve) => {
    socket.send(JSON.stringify({ type: 'connection_init' }));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') resolve();
    });
  });

const results = {};

// Three sockets from this address are fine, a fourth is refused; once one closes there is room again.
{
  const sockets = [];
  for (let i = 0; i < 3; ++i) sockets.push(await open());
  const fourth = await open();
  const first = sockets[0].socket;
  const gone = closed(first);
  first.close(1000);
  await gone;
  let again = await open();
  for (let i = 0; i < 50 && again.status; ++i) {
    await new Promise((r) => setTimeout(r, 20));
    again = await open();
  }
  results.per_address = { opened: sockets.filter((s) => s.socket).length, fourth_status: fourth.status ?? null, after_close: again.socket ? 'open' : again.status };
  for (const s of [...sockets.slice(1), again]) s.socket?.terminate();
  await new Promise((r) => setTimeout(r, 200));  // let the gateway count them closed
}

// A client that stops reading while asking for far more than 64 KiB is disconnected, not buffered for.
{
  const { socket } = await open();
  await acked(socket);
  let answers = 0;
  socket.on('message', () => (answers += 1));
  const end = closed(socket);
  socket.pause();
  for (let i = 0; i < 400; ++i) {
    socket.send(JSON.stringify({ id: `q${i}`, type: 'subscribe', payload: { query: introspection } }));
  }
  // Stay paused until the gateway says it dropped a slow reader (or give up after 30 s).
  for (let i = 0; i < 300; ++i) {
    const text = await (await fetch(metrics)).text();
    if (/gateway_ws_closed_total\{reason="slow_reader"\} [1-9]/.test(text)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  socket.resume();
  const outcome = await Promise.race([end, new Promise((r) => setTimeout(() => r({ code: 'still open' }), 15000))]);
  results.slow_reader = { ...outcome, answers, asked: 400 };
  socket.terminate();
}

// An initialised connection that does nothing is closed as idle.
{
  const { socket } = await open();
  await acked(socket);
  results.idle = await Promise.race([closed(socket), new Promise((r) => setTimeout(() => r({ code: 'still open' }), 15000))]);
}

writeFileSync(resultPath, JSON.stringify(results));
process.exit(0);
