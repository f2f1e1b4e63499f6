#!/usr/bin/env node
// The benchmark's floor, not product code: a bare fan-out with the project's shape and none of its
// work. Socket.IO processes linked by NATS, no auth, no store, no Nest. A send goes to the room's
// owner process over a NATS request (as the gateway asks the message service), which numbers it
// and publishes it on the room's subject (as the message service does); every process holding a
// socket of the room subscribed to that subject while it had one (interest-based, as the gateway)
// and emits `message:new` once to its local Socket.IO room. The ack follows the publish.
//   node floor-server.mjs --port 4100 --nats nats://127.0.0.1:4222 --index 0 --count 2
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { connect, JSONCodec } from 'nats';
import { Server } from 'socket.io';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    nats: { type: 'string', default: 'nats://127.0.0.1:4222' },
    index: { type: 'string', default: '0' },
    count: { type: 'string', default: '1' },
  },
});
const index = Number(values.index);
const count = Number(values.count);
const codec = JSONCodec();

/** The process that numbers a room's messages: one per room, as a room's seq has one home. */
const ownerOf = (roomId) => {
  let h = 0;
  for (let i = 0; i < roomId.length; i++) h = (h * 31 + roomId.charCodeAt(i)) >>> 0;
  return h % count;
};

const nc = await connect({ servers: values.nats, name: `floor-${index}`, noAsyncTraces: true });
const seqs = new Map();

// The owner side: number, publish, answer.
nc.subscribe(`floor.send.${index}`, {
  callback: (err, msg) => {
    if (err) return;
    const { roomId, clientMsgId, body, author } = codec.decode(msg.data);
    const seq = (seqs.get(roomId) ?? 0) + 1;
    seqs.set(roomId, seq);
    const message = {
      id: `${roomId}:${seq}`,
      roomId,
      seq,
      author: { id: author, username: author },
      body,
      clientMsgId,
      createdAt: new Date().toISOString(),
    };
    nc.publish(`floor.room.${roomId}`, codec.encode(message));
    msg.respond(codec.encode(message));
  },
});

const http = createServer((req, res) => {
  res.writeHead(req.url === '/readyz' ? 200 : 404).end();
});
const io = new Server(http, { serveClient: false });

// The receiving side: one NATS subscription per room while a local socket is in it.
const followed = new Map(); // roomId → { sub, sockets }
function follow(roomId) {
  const f = followed.get(roomId);
  if (f) return void f.sockets++;
  const sub = nc.subscribe(`floor.room.${roomId}`, {
    callback: (err, msg) => {
      if (!err) io.to(roomId).emit('message:new', codec.decode(msg.data));
    },
  });
  followed.set(roomId, { sub, sockets: 1 });
}
function unfollow(roomId) {
  const f = followed.get(roomId);
  if (f && --f.sockets === 0) {
    f.sub.unsubscribe();
    followed.delete(roomId);
  }
}

io.on('connection', (socket) => {
  const user = String(socket.handshake.auth?.token ?? randomUUID());
  const rooms = new Set();
  socket.on('room:join', ({ roomId } = {}, ack) => {
    if (typeof roomId !== 'string' || typeof ack !== 'function') return;
    if (!rooms.has(roomId)) {
      rooms.add(roomId);
      follow(roomId);
      void socket.join(roomId);
    }
    ack({ ok: true, room: { id: roomId, lastSeq: seqs.get(roomId) ?? 0 }, missed: [], hasMore: false });
  });
  socket.on('message:send', (payload = {}, ack) => {
    if (typeof ack !== 'function') return;
    const { roomId, clientMsgId, body } = payload;
    nc.request(`floor.send.${ownerOf(roomId)}`, codec.encode({ roomId, clientMsgId, body, author: user }), {
      timeout: 5000,
    }).then(
      (reply) => ack({ ok: true, message: codec.decode(reply.data) }),
      () => ack({ ok: false, error: { code: 'UNAVAILABLE', message: 'owner did not answer' } }),
    );
  });
  socket.on('disconnect', () => {
    for (const roomId of rooms) unfollow(roomId);
  });
});

http.listen(Number(values.port), '127.0.0.1');
const stop = () => {
  void io.close();
  void nc.drain().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
