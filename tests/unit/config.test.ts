import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const APP_ID = '11111111-2222-4333-8444-555555555555';
const TENANT = '66666666-7777-4888-9999-000000000000';
const EXPORT_SIGNING_SECRET = 'x'.repeat(40);
const PUBLIC_BASE_URL = 'https://kompetansepuls.example.no';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('defaults to local mode on the embedded database in ./data/pglite, port 3978', () => {
    const c = loadConfig({});
    expect(c.mode).toBe('local');
    expect(c.port).toBe(3978);
    expect(c.database).toEqual({ kind: 'pglite', dataDir: './data/pglite' });
    expect(c.minGroupSize).toBe(5);
    expect(c.allowedTenants).toEqual([]);
  });

  it('treats empty variables (as in a copied .env.example) as unset', () => {
    expect(loadConfig({ PORT: '', MICROSOFT_APP_ID: '', DATABASE_URL: '' }).mode).toBe('local');
  });

  it('understands pglite:<dir>, pglite:memory and postgresql:// URLs', () => {
    expect(loadConfig({ DATABASE_URL: 'pglite:/tmp/x' }).database).toEqual({ kind: 'pglite', dataDir: '/tmp/x' });
    expect(loadConfig({ DATABASE_URL: 'pglite:memory' }).database).toEqual({ kind: 'pglite', dataDir: null });
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@127.0.0.1:5432/db' }).database).toEqual({ kind: 'postgresql', url: 'postgresql://u@127.0.0.1:5432/db' });
  });

  it('names the variable in every error', () => {
    expect(problems({ PORT: 'abc' })[0]).toMatch(/^PORT: /);
    expect(problems({ DATABASE_URL: 'mysql://x' })[0]).toMatch(/^DATABASE_URL: /);
    expect(problems({ MIN_GROUP_SIZE: '2' })[0]).toMatch(/^MIN_GROUP_SIZE: .*under 3/);
    expect(problems({ MICROSOFT_APP_ID: 'not-a-guid' })[0]).toMatch(/^MICROSOFT_APP_ID: /);
    expect(problems({ LOG_LEVEL: 'loud' })[0]).toMatch(/^LOG_LEVEL: /);
  });

  it('production mode requires a secret or certificate and a tenant for single-tenant bots', () => {
    const p = problems({ MICROSOFT_APP_ID: APP_ID });
    expect(p.some((x) => x.startsWith('MICROSOFT_APP_PASSWORD:'))).toBe(true);
    expect(p.some((x) => x.startsWith('MICROSOFT_APP_TENANT_ID:'))).toBe(true);
    expect(problems({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_CERT_THUMBPRINT: 'AB12', MICROSOFT_APP_TENANT_ID: TENANT, EXPORT_SIGNING_SECRET, PUBLIC_BASE_URL })).toEqual([
      'MICROSOFT_APP_CERT_KEY_FILE: mangler (kreves sammen med MICROSOFT_APP_CERT_THUMBPRINT)',
    ]);
  });

  it('production mode serves its own tenant unless ALLOWED_TENANTS says otherwise', () => {
    const c = loadConfig({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 's3cret', MICROSOFT_APP_TENANT_ID: TENANT, EXPORT_SIGNING_SECRET, PUBLIC_BASE_URL });
    expect(c.mode).toBe('production');
    expect(c.allowedTenants).toEqual([TENANT]);
    expect(loadConfig({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 's', MICROSOFT_APP_TENANT_ID: TENANT, ALLOWED_TENANTS: 'a, b', EXPORT_SIGNING_SECRET, PUBLIC_BASE_URL }).allowedTenants).toEqual(['a', 'b']);
  });

  it('export links: production needs EXPORT_SIGNING_SECRET; local mode makes one up; PUBLIC_BASE_URL defaults to localhost:PORT', () => {
    expect(problems({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 's', MICROSOFT_APP_TENANT_ID: TENANT, PUBLIC_BASE_URL })).toEqual([expect.stringMatching(/^EXPORT_SIGNING_SECRET: mangler/)]);
    expect(problems({ EXPORT_SIGNING_SECRET: 'short' })[0]).toMatch(/^EXPORT_SIGNING_SECRET: /);
    const local = loadConfig({ PORT: '4000' });
    expect(local.export.signingSecret.length).toBeGreaterThanOrEqual(32);
    expect(local.export.linkMs).toBe(10 * 60_000);
    expect(local.export.publicBaseUrl).toBe('http://localhost:4000');
    const prod = loadConfig({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 's', MICROSOFT_APP_TENANT_ID: TENANT, EXPORT_SIGNING_SECRET, PUBLIC_BASE_URL: 'https://bot.example.no/', EXPORT_LINK_MINUTES: '5' });
    expect(prod.export).toEqual({ signingSecret: EXPORT_SIGNING_SECRET, linkMs: 5 * 60_000, publicBaseUrl: 'https://bot.example.no' });
  });

  it('language model: none by default; OpenAI with a key (model defaults to gpt-4o-mini); Azure with key, https endpoint and deployment', () => {
    expect(loadConfig({}).ai).toBeNull();
    expect(loadConfig({ OPENAI_API_KEY: '', AZURE_OPENAI_API_KEY: '', OPENAI_MODEL: '' }).ai).toBeNull();
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).ai).toEqual({ provider: 'openai', apiKey: 'sk-test', model: 'gpt-4o-mini' });
    // The planner's turns may take up to a minute: the turn limit makes room for them, and only then.
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).turnTimeoutMs).toBe(65_000);
    expect(loadConfig({}).turnTimeoutMs).toBe(15_000);
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'gpt-4.1' }).ai).toEqual({ provider: 'openai', apiKey: 'sk-test', model: 'gpt-4.1' });
    expect(loadConfig({ AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_ENDPOINT: 'https://skole.openai.azure.com/', AZURE_OPENAI_DEPLOYMENT: 'gpt4o' }).ai).toEqual({
      provider: 'azure',
      apiKey: 'k',
      endpoint: 'https://skole.openai.azure.com',
      deployment: 'gpt4o',
      apiVersion: '2024-10-21',
    });
  });

  it('language model: Azure needs all three variables, an https endpoint, and not an OpenAI key as well', () => {
    expect(problems({ AZURE_OPENAI_API_KEY: 'k' })).toEqual([expect.stringMatching(/^AZURE_OPENAI_ENDPOINT: mangler/), expect.stringMatching(/^AZURE_OPENAI_DEPLOYMENT: mangler/)]);
    expect(problems({ AZURE_OPENAI_ENDPOINT: 'https://skole.openai.azure.com', AZURE_OPENAI_DEPLOYMENT: 'd' })).toEqual([expect.stringMatching(/^AZURE_OPENAI_API_KEY: mangler/)]);
    expect(problems({ AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_ENDPOINT: 'http://skole.openai.azure.com', AZURE_OPENAI_DEPLOYMENT: 'd' })[0]).toMatch(/^AZURE_OPENAI_ENDPOINT: .*https/);
    expect(problems({ AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_ENDPOINT: 'ikke en url', AZURE_OPENAI_DEPLOYMENT: 'd' })[0]).toMatch(/^AZURE_OPENAI_ENDPOINT: /);
    expect(problems({ OPENAI_API_KEY: 'sk', AZURE_OPENAI_API_KEY: 'k' })[0]).toMatch(/^OPENAI_API_KEY: .*ikke begge/);
  });

  // security (issue 8)
  const PROD = { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 's3cret', EXPORT_SIGNING_SECRET, PUBLIC_BASE_URL };

  it('production refuses a multi-tenant bot that would serve every tenant: it needs ALLOWED_TENANTS or MICROSOFT_APP_TENANT_ID', () => {
    const p = problems({ ...PROD, MICROSOFT_APP_TYPE: 'MultiTenant' });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^ALLOWED_TENANTS: mangler/);
    expect(p[0]).toContain('MICROSOFT_APP_TENANT_ID');
    expect(problems({ ...PROD, MICROSOFT_APP_TYPE: 'MultiTenant', ALLOWED_TENANTS: ' , ' })[0]).toMatch(/^ALLOWED_TENANTS: mangler/);
    expect(loadConfig({ ...PROD, MICROSOFT_APP_TYPE: 'MultiTenant', ALLOWED_TENANTS: `${TENANT}, 0f000000-0000-4000-8000-000000000002` }).allowedTenants).toEqual([TENANT, '0f000000-0000-4000-8000-000000000002']);
    expect(loadConfig({ ...PROD, MICROSOFT_APP_TYPE: 'MultiTenant', MICROSOFT_APP_TENANT_ID: TENANT }).allowedTenants).toEqual([TENANT]);
    // Single-tenant bots always have their tenant id, so they are never open to all.
    expect(loadConfig({ ...PROD, MICROSOFT_APP_TENANT_ID: TENANT }).allowedTenants).toEqual([TENANT]);
    // Local mode (the Playground on one machine) may serve any tenant.
    expect(loadConfig({}).allowedTenants).toEqual([]);
  });

  it('production requires an https PUBLIC_BASE_URL (download links would otherwise point to localhost)', () => {
    expect(problems({ ...PROD, MICROSOFT_APP_TENANT_ID: TENANT, PUBLIC_BASE_URL: '' })).toEqual([expect.stringMatching(/^PUBLIC_BASE_URL: mangler/)]);
    expect(problems({ ...PROD, MICROSOFT_APP_TENANT_ID: TENANT, PUBLIC_BASE_URL: 'http://bot.example.no' })).toEqual([expect.stringMatching(/^PUBLIC_BASE_URL: må være en https-adresse/)]);
    expect(problems({ ...PROD, MICROSOFT_APP_TENANT_ID: TENANT, PUBLIC_BASE_URL: 'ikke en url' })[0]).toMatch(/^PUBLIC_BASE_URL: /);
    expect(loadConfig({ ...PROD, MICROSOFT_APP_TENANT_ID: TENANT }).export.publicBaseUrl).toBe(PUBLIC_BASE_URL);
  });

  it('rate limit and turn timeout: 30 a minute (answers 120) and 15 s by default; 0 turns the limit off; bad values are named', () => {
    const c = loadConfig({});
    expect(c.rateLimit).toEqual({ perMinute: 30, answersPerMinute: 120 });
    expect(c.turnTimeoutMs).toBe(15_000);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '5' }).rateLimit).toEqual({ perMinute: 5, answersPerMinute: 60 });
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }).rateLimit).toBeNull();
    expect(loadConfig({ TURN_TIMEOUT_SECONDS: '2.5' }).turnTimeoutMs).toBe(2500);
    expect(problems({ RATE_LIMIT_PER_MINUTE: '-1' })[0]).toMatch(/^RATE_LIMIT_PER_MINUTE: /);
    expect(problems({ RATE_LIMIT_PER_MINUTE: 'mange' })[0]).toMatch(/^RATE_LIMIT_PER_MINUTE: /);
    expect(problems({ TURN_TIMEOUT_SECONDS: '0' })[0]).toMatch(/^TURN_TIMEOUT_SECONDS: /);
    expect(problems({ TURN_TIMEOUT_SECONDS: '600' })[0]).toMatch(/^TURN_TIMEOUT_SECONDS: /);
  });

  it('rejects a secret without an app id (half-configured production)', () => {
    expect(problems({ MICROSOFT_APP_PASSWORD: 'x' })[0]).toMatch(/^MICROSOFT_APP_ID: /);
  });
});
