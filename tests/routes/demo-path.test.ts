// The README's demo path as a new leader walks it: `npm run demo:seed`, `rolle meg leder Fjordvik kommune`,
// then the results views it lists (issue 14). Each view must show the round the command asks for.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_TENANT_ID, seedDemoData } from '../../src/db/demo-data.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { invokeCard, teamsUser } from '../helpers/people.ts';

let h: Harness;
const leader = teamsUser('demo-leader', { name: 'Demo Leder', tenantId: PLAYGROUND_TENANT_ID });
const lastOut = () => {
  const a = h.connector.sentActivities().at(-1)!;
  return a.text ?? JSON.stringify(a.attachments?.[0]?.content);
};
const say = async (text: string) => {
  await h.send(leader.say(text));
  return lastOut();
};

beforeAll(async () => {
  h = await startHarness();
  await seedDemoData(h.db.prisma, { teamsTenantId: PLAYGROUND_TENANT_ID, now: new Date() });
  await h.send(leader.install());
  await say('rolle meg leder Fjordvik kommune');
}, 120_000);
afterAll(async () => h?.close());

describe('demo path', () => {
  it('«hindringer» shows the latest barrier round, with barriers per category and per staff group', async () => {
    const card = await say('hindringer');
    expect(card).toContain('Hindringer – tilrettelegging på skolen');
    expect(card).toMatch(/Største hindring: [^"]+ \(alle ansatte \d+ % enige\)/);
    expect(card).toContain('Per type hindring');
    expect(card).not.toContain('Ingen temaer å vise');
  });

  it('names the round after the municipality, also for a leader of the whole organisation (the first-pulse walkthrough)', async () => {
    await say('rolle meg leder');
    const card = await say('resultater');
    expect(card).toContain('Fjordvik kommune · stengt');
    expect(card).not.toContain('Organisasjon');
  });

  it('the barrier round picked on the card shows its barriers too', async () => {
    await say('resultater');
    const res = await h.send(leader.act('results.show', { templateId: 'hindringer-tilrettelegging', group: 'all', focus: 'summary' }));
    const card = invokeCard(res);
    expect(card).toMatch(/Største hindring: /);
    expect(card).not.toContain('Ingen temaer å vise');
    expect(card).not.toMatch(/"value":"–"/);
  });

  it('«trend» compares the two Læringsmiljø rounds', async () => {
    const card = await say('trend');
    expect(card).toContain('Utvikling: Læringsmiljø – behov');
    expect(card).not.toContain('ingen tidligere runde');
    const topical = await say('trend digitale krenkelser');
    expect(topical).toContain('Digitale krenkelser');
    expect(topical).not.toContain('ingen tidligere runde');
  });
});
