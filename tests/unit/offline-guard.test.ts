import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { blockNonLocalConnections } from '../helpers/offline-guard.ts';

// The guard tests/routes/auth.test.ts relies on to prove that production mode
// reaches nothing but 127.0.0.1: it must really stop (and record) every other
// connection, whatever the client, and let loopback through.
const guard = blockNonLocalConnections();
afterAll(() => guard.restore());

describe('offline guard', () => {
  it('blocks and records connections to other hosts: fetch, node:https (as node-fetch and MSAL use), raw sockets', async () => {
    await expect(fetch('https://login.botframework.com/v1/.well-known/openidconfiguration')).rejects.toThrow();
    await expect(
      new Promise((resolve, reject) => {
        const req = http.get('http://login.microsoftonline.com/common/discovery/instance', resolve);
        req.on('error', reject);
      }),
    ).rejects.toThrow(/offline-guard/);
    await expect(
      new Promise((resolve, reject) => {
        const socket = net.connect(443, '203.0.113.7', () => resolve(socket));
        socket.on('error', reject);
      }),
    ).rejects.toThrow(/offline-guard/);
    expect(guard.blocked).toEqual(['login.botframework.com', 'login.microsoftonline.com', '203.0.113.7']);
  });

  it('lets connections to 127.0.0.1 and localhost through', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
      expect(await (await fetch(`http://localhost:${port}/`)).text()).toBe('ok');
    } finally {
      server.close();
    }
    expect(guard.blocked).toHaveLength(3);
  });
});
