import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapter, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import { createDeps } from '../../src/deps.ts';
import { createLogger } from '../../src/logger.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { fixture, type Activity } from '../helpers/harness.ts';
import { BOT_FRAMEWORK_ISSUER, LocalCredentialsFactory, newSigningKey, signJwt, startLocalBotAuth } from '../helpers/local-bot-auth.ts';
import { startMockConnector, type MockConnector } from '../helpers/mock-connector.ts';
import { blockNonLocalConnections } from '../helpers/offline-guard.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

// Production mode end to end: botbuilder checks every request's Bot Framework
// token against signing keys served from 127.0.0.1 (BOT_OPENID_METADATA_URL),
// and the bot's replies carry its own token from a local login endpoint, which
// the mock connector checks. Nothing may leave the machine: every connection
// to anything but 127.0.0.1 fails and is recorded (offline-guard).

const APP_ID = '3f2b8c1d-4e5a-4b6c-8d7e-9f0a1b2c3d4e';
const APP_PASSWORD = 'local-test-secret';
const TENANT = 'f1e2d3c4-0000-4000-8000-000000000001'; // the fixtures' tenant

const channelKey = newSigningKey('channel-key-1');
const webchatOnlyKey = newSigningKey('webchat-only-key');
/** Never published: what an attacker would sign with. */
const attackerKey = newSigningKey('attacker-key');

const guard = blockNonLocalConnections();
let auth: Awaited<ReturnType<typeof startLocalBotAuth>>;
let connector: MockConnector;
let db: Database;
let server: RunningServer;
let baseUrl = '';

beforeAll(async () => {
  auth = await startLocalBotAuth({
    appId: APP_ID,
    appPassword: APP_PASSWORD,
    published: [
      { key: channelKey, endorsements: ['msteams', 'webchat'] },
      { key: webchatOnlyKey, endorsements: ['webchat'] },
    ],
  });
  connector = await startMockConnector({ checkAuthorization: (header) => auth.isBotToken(header) });
  db = await openTestDatabase();
  const config = loadConfig({
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: APP_PASSWORD,
    MICROSOFT_APP_TENANT_ID: TENANT,
    BOT_OPENID_METADATA_URL: auth.metadataUrl,
    EXPORT_SIGNING_SECRET: 'x'.repeat(40),
    PUBLIC_BASE_URL: 'https://kompetansepuls.example.no',
    LOG_LEVEL: 'silent',
  });
  expect(config.mode).toBe('production');
  const sink = new Writable({ write: (_chunk, _enc, done) => done() });
  const deps = createDeps(config, db, createLogger(config.logLevel, sink));
  // The product's adapter and token checks; only the outgoing credentials come from the local login endpoint.
  const bot = createApp(deps, createAdapter(config, new LocalCredentialsFactory(APP_ID, APP_PASSWORD, TENANT, auth.tokenUrl)));
  server = await startServer(bot, deps, 0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close(1000);
  await connector?.close();
  await auth?.close();
  await db?.close();
  guard.restore();
});

const now = () => Math.floor(Date.now() / 1000);
/** The claims Teams' tokens carry (botframework-connector checks iss, aud, exp/nbf, serviceurl, and the key's endorsements). */
const claims = (overrides: Record<string, unknown> = {}) => ({ iss: BOT_FRAMEWORK_ISSUER, aud: APP_ID, serviceurl: connector.url, nbf: now() - 60, iat: now() - 60, exp: now() + 3600, ...overrides });

let seq = 0;
const hjelp = (): Activity => ({ ...fixture('personal-message', { text: 'hjelp' }), id: `auth-${++seq}`, serviceUrl: connector.url });

async function post(activity: Activity, authorization?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers, body: JSON.stringify(activity) });
  return { status: res.status, text: await res.text() };
}

const rowCounts = async () => ({ tenants: await db.prisma.tenant.count(), people: await db.prisma.person.count(), conversations: await db.prisma.conversationRef.count(), audit: await db.prisma.auditEntry.count() });

describe('production mode: every request to /api/messages needs a valid Bot Framework token', () => {
  const refused: Array<[string, () => string | undefined]> = [
    ['no Authorization header', () => undefined],
    ['an empty Authorization header', () => ''],
    ['another scheme (Basic)', () => `Basic ${Buffer.from(`${APP_ID}:${APP_PASSWORD}`).toString('base64')}`],
    ['a malformed token', () => 'Bearer not-a-jwt'],
    ['a token with a broken signature part', () => `Bearer ${signJwt(claims(), channelKey).slice(0, -12)}AAAAAAAAAAAA`],
    ['a token signed by a key that is not published (own key id)', () => `Bearer ${signJwt(claims(), attackerKey)}`],
    ['a token signed by another key under the published key id', () => `Bearer ${signJwt(claims(), attackerKey, { kid: channelKey.kid })}`],
    ['a token without a key id', () => `Bearer ${signJwt(claims(), channelKey, { kid: null })}`],
    ['an unsigned token (alg none)', () => `Bearer ${signJwt(claims(), channelKey, { alg: 'none' })}`],
    ['an HS256 token keyed with the published public key', () => `Bearer ${signJwt(claims(), channelKey, { alg: 'HS256', hmacSecret: channelKey.publicKey.export({ format: 'pem', type: 'spki' }).toString() })}`],
    ['an expired token (beyond the 5 minutes of clock skew allowed)', () => `Bearer ${signJwt(claims({ nbf: now() - 7200, iat: now() - 7200, exp: now() - 600 }), channelKey)}`],
    ['a token not valid yet', () => `Bearer ${signJwt(claims({ nbf: now() + 3600 }), channelKey)}`],
    ['a token for another app (wrong audience)', () => `Bearer ${signJwt(claims({ aud: '00000000-1111-4222-8333-444444444444' }), channelKey)}`],
    ['a token without an audience', () => `Bearer ${signJwt(claims({ aud: undefined }), channelKey)}`],
    ['a token from another issuer', () => `Bearer ${signJwt(claims({ iss: 'https://evil.example' }), channelKey)}`],
    ['a token for another service URL (replies would go elsewhere)', () => `Bearer ${signJwt(claims({ serviceurl: 'https://evil.example/teams/' }), channelKey)}`],
    ['a token signed by a key not endorsed for Teams (msteams)', () => `Bearer ${signJwt(claims(), webchatOnlyKey)}`],
  ];

  it.each(refused)('refuses %s with 401, runs no turn and stores nothing', async (_name, header) => {
    const before = await rowCounts();
    connector.reset();
    const res = await post(hjelp(), header());
    expect(res.status).toBe(401);
    expect(connector.calls).toHaveLength(0);
    expect(await rowCounts()).toEqual(before);
  });

  it('a card action with a bad token is refused the same way', async () => {
    const action = { ...fixture('card-action', { value: { action: { type: 'Action.Execute', verb: 'profile.save', data: { staffRole: 'teacher' } }, trigger: 'manual' } }), serviceUrl: connector.url };
    expect((await post(action, `Bearer ${signJwt(claims(), attackerKey, { kid: channelKey.kid })}`)).status).toBe(401);
    expect((await post(action)).status).toBe(401);
    expect(await db.prisma.person.count()).toBe(0);
  });

  it('serves a correctly signed token: 200, and the reply goes to the connector with the bot\'s own token', async () => {
    connector.reset();
    const res = await post(hjelp(), `Bearer ${signJwt(claims(), channelKey)}`);
    expect(res.status).toBe(200);
    const sent = connector.sentActivities();
    expect(sent).toHaveLength(2); // the help card, then the profile card offered on first contact
    expect(JSON.stringify(sent[0]!.attachments![0]!.content)).toContain('Dette kan jeg hjelpe deg med');
    // Every call to the connector carried a token from the (local) login endpoint, issued to this app for the connector.
    expect(connector.calls.length).toBeGreaterThan(0);
    expect(connector.calls.every((c) => auth.isBotToken(c.authorization) && c.status! < 300)).toBe(true);
    expect(await db.prisma.person.count()).toBe(1);
  });

  it('a token that is valid for a moment longer than the reply is still accepted (within the skew), and the bot token is reused', async () => {
    connector.reset();
    const tokenCalls = () => auth.requests.filter((r) => r.startsWith('POST /oauth2')).length;
    const before = tokenCalls();
    const res = await post(hjelp(), `Bearer ${signJwt(claims({ exp: now() - 60 }), channelKey)}`);
    expect(res.status).toBe(200);
    expect(connector.calls.every((c) => auth.isBotToken(c.authorization))).toBe(true);
    expect(tokenCalls()).toBe(before); // cached, not fetched per request
  });

  it('used only the local key and login servers, and never tried to reach anything else', () => {
    expect(auth.requests).toContain('GET /v1/.well-known/openidconfiguration');
    expect(auth.requests).toContain('GET /v1/.well-known/keys');
    expect(auth.requests.some((r) => r === 'POST /oauth2/v2.0/token')).toBe(true);
    expect(guard.blocked).toEqual([]);
  });
});
