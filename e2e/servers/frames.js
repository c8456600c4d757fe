// @ts-check
/**
 * The few pieces of RFC 6455 the hand-written scenarios need: the upgrade
 * answer, and reading and writing unfragmented frames. Used where a real
 * server library would behave too well (never reading, echoing late).
 */
import { createHash } from 'node:crypto';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * Completes the opening handshake by hand (RFC 6455 §4.2.2).
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:stream').Duplex} socket
 */
export function acceptUpgrade(req, socket) {
  const key = String(req.headers['sec-websocket-key'] ?? '');
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`];
  if (offered.length) lines.push(`Sec-WebSocket-Protocol: ${offered[0]}`);
  socket.write(lines.join('\r\n') + '\r\n\r\n');
}

/**
 * An unmasked server frame.
 * @param {number} opcode 0x1 text, 0x2 binary, 0x8 close, 0x9 ping, 0xA pong
 * @param {Buffer} payload
 */
export function frame(opcode, payload) {
  const len = payload.length;
  /** @type {Buffer} */
  let head;
  if (len < 126) {
    head = Buffer.from([0x80 | opcode, len]);
  } else if (len < 65536) {
    head = Buffer.alloc(4);
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

/** @param {string} text */
export function textFrame(text) {
  return frame(0x1, Buffer.from(text, 'utf8'));
}

/**
 * A Close frame with a status code and reason.
 * @param {number} code
 * @param {string} [reason]
 */
export function closeFrame(code, reason = '') {
  const body = Buffer.alloc(2 + Buffer.byteLength(reason));
  body.writeUInt16BE(code, 0);
  body.write(reason, 2);
  return frame(0x8, body);
}

/**
 * Parses masked client frames as bytes arrive.
 * @param {(opcode: number, payload: Buffer) => void} onFrame
 * @returns {(chunk: Buffer) => void}
 */
export function frameReader(onFrame) {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (buf.length < 2) return;
      const opcode = buf[0] & 0x0f;
      const masked = (buf[1] & 0x80) !== 0;
      let len = buf[1] & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        len = Number(buf.readBigUInt64BE(2));
        offset = 10;
      }
      const maskOffset = offset;
      if (masked) offset += 4;
      if (buf.length < offset + len) return;
      const payload = Buffer.from(buf.subarray(offset, offset + len));
      if (masked) for (let i = 0; i < len; i++) payload[i] ^= buf[maskOffset + (i % 4)];
      buf = buf.subarray(offset + len);
      onFrame(opcode, payload);
    }
  };
}
