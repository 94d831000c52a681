import net from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '::ffff:127.0.0.1']);

type ConnectArgs = Parameters<typeof net.Socket.prototype.connect>;

/** Host (or unix socket path) of a `socket.connect(...)` call, in any of Node's argument forms. */
function hostOf(args: unknown[]): string {
  // net.connect()/tls.connect() hand over their normalised arguments as one array.
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === 'object') {
    const o = first as { host?: string; path?: string };
    if (o.path) return `unix:${o.path}`;
    return o.host ?? 'localhost';
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) return typeof args[1] === 'string' ? args[1] : 'localhost';
  if (typeof first === 'string') return `unix:${first}`;
  return 'localhost';
}

/**
 * Makes every outgoing TCP/TLS connection in this process to anything but
 * 127.0.0.1 / localhost fail at once, and records the attempt. Covers every
 * HTTP client underneath (node-fetch, MSAL, undici/fetch, pg): they all end
 * in `net.Socket.prototype.connect`. A test asserts `blocked` is empty: the
 * code under test did not even try to reach the internet.
 */
export function blockNonLocalConnections() {
  const blocked: string[] = [];
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const host = hostOf(args);
    if (host.startsWith('unix:') || LOOPBACK.has(host)) return original.apply(this, args as ConnectArgs);
    blocked.push(host);
    process.nextTick(() => this.destroy(new Error(`offline-guard: connection to ${host} blocked in this test`)));
    return this;
  } as typeof original;
  return {
    blocked,
    restore() {
      net.Socket.prototype.connect = original;
    },
  };
}
