import { createHmac, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppCredentials, PasswordServiceClientCredentialFactory, type AuthenticatorResult, type ServiceClientCredentials } from 'botframework-connector';

/**
 * A stand-in, on 127.0.0.1, for the two Microsoft services a production bot
 * talks to about tokens, with keys made here (node:crypto, no packages):
 *
 * - the Bot Framework's OpenID metadata and signing keys (JWKS), against which
 *   botbuilder checks the token on every request from Teams
 *   (BOT_OPENID_METADATA_URL points here);
 * - a login endpoint that gives the bot its own token for calls to the
 *   connector (client credentials), like login.microsoftonline.com; the mock
 *   connector checks that token.
 */

export type SigningKey = { kid: string; privateKey: KeyObject; publicKey: KeyObject };

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
/** The audience of the bot's own tokens for the connector (AuthenticationConstants.ToChannelFromBotOAuthScope). */
export const CONNECTOR_AUDIENCE = 'https://api.botframework.com';

export function newSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT, signed RS256 with `key` (or, for attack tests, `alg: none` / HS256 with a shared secret). */
export function signJwt(payload: Record<string, unknown>, key: SigningKey, opts: { alg?: 'RS256' | 'none' | 'HS256'; kid?: string | null; hmacSecret?: string } = {}): string {
  const alg = opts.alg ?? 'RS256';
  const header: Record<string, unknown> = { alg, typ: 'JWT' };
  if (opts.kid !== null) header.kid = opts.kid ?? key.kid;
  const data = `${b64(header)}.${b64(payload)}`;
  if (alg === 'none') return `${data}.`;
  if (alg === 'HS256') return `${data}.${createHmac('sha256', opts.hmacSecret ?? '').update(data).digest('base64url')}`;
  return `${data}.${sign('sha256', Buffer.from(data), key.privateKey).toString('base64url')}`;
}

/** The payload of a JWT whose RS256 signature `key` verifies, or null. */
export function verifyJwt(token: string, key: SigningKey): Record<string, unknown> | null {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return null;
  if (!verify('sha256', Buffer.from(`${header}.${payload}`), key.publicKey, Buffer.from(signature, 'base64url'))) return null;
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export type PublishedKey = { key: SigningKey; endorsements: string[] };

export async function startLocalBotAuth(opts: { published: PublishedKey[]; appId: string; appPassword: string }) {
  const requests: string[] = [];
  /** Signs the bot's own tokens for the connector; never published in the JWKS. */
  const tokenKey = newSigningKey('login-key');
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      requests.push(`${req.method} ${path}`);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && path === '/v1/.well-known/openidconfiguration') {
        return json(200, {
          issuer: BOT_FRAMEWORK_ISSUER,
          authorization_endpoint: `${url}/v1/authorize`,
          jwks_uri: `${url}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
      }
      if (req.method === 'GET' && path === '/v1/.well-known/keys') {
        // The same shape as login.botframework.com's: RSA modulus/exponent, key id, and the channels each key may sign for.
        return json(200, { keys: opts.published.map(({ key, endorsements }) => ({ ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, use: 'sig', alg: 'RS256', endorsements })) });
      }
      if (req.method === 'POST' && path === '/oauth2/v2.0/token') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== opts.appId || form.get('client_secret') !== opts.appPassword) {
          return json(401, { error: 'invalid_client' });
        }
        const now = Math.floor(Date.now() / 1000);
        const accessToken = signJwt({ iss: `${url}/login`, aud: form.get('scope')?.replace(/\/\.default$/, ''), appid: opts.appId, iat: now, nbf: now, exp: now + 3600 }, tokenKey);
        return json(200, { token_type: 'Bearer', expires_in: 3600, access_token: accessToken });
      }
      return json(404, { error: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    metadataUrl: `${url}/v1/.well-known/openidconfiguration`,
    tokenUrl: `${url}/oauth2/v2.0/token`,
    requests,
    /** True when `header` is `Bearer <a token this login endpoint issued to the app for the connector>`, unexpired. */
    isBotToken(header: string | undefined): boolean {
      const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
      const claims = token ? verifyJwt(token, tokenKey) : null;
      return Boolean(claims && claims.aud === CONNECTOR_AUDIENCE && claims.appid === opts.appId && Number(claims.exp) > Date.now() / 1000);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The bot's credentials for connector calls, fetched from the local login endpoint (client credentials grant) instead of through MSAL. */
class LocalAppCredentials extends AppCredentials {
  constructor(
    appId: string,
    private readonly password: string,
    private readonly tokenUrl: string,
    scope: string,
  ) {
    super(appId, undefined, scope);
  }

  protected async refreshToken(): Promise<AuthenticatorResult> {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.appId, client_secret: this.password, scope: `${this.oAuthScope}/.default` });
    const res = await fetch(this.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    if (!res.ok) throw new Error(`local login refused: ${res.status}`);
    const token = (await res.json()) as { access_token: string; expires_in: number };
    return { accessToken: token.access_token, expiresOn: new Date(Date.now() + token.expires_in * 1000) };
  }
}

/**
 * The production credentials factory's checks (app id, password, tenant),
 * with tokens for outgoing calls from the local login endpoint: MSAL insists
 * on an https authority and asks login.microsoftonline.com for instance
 * metadata first, which no test may reach.
 */
export class LocalCredentialsFactory extends PasswordServiceClientCredentialFactory {
  constructor(
    appId: string,
    password: string,
    tenantId: string,
    private readonly tokenUrl: string,
  ) {
    super(appId, password, tenantId);
  }

  override async createCredentials(appId: string, audience: string | undefined): Promise<ServiceClientCredentials> {
    if (!(await this.isValidAppId(appId))) throw new Error('Invalid appId.');
    return new LocalAppCredentials(appId, this.password ?? '', this.tokenUrl, audience ?? CONNECTOR_AUDIENCE);
  }
}
