import { afterEach, describe, expect, it } from 'vitest';
import { fixture, startHarness, type Harness } from '../helpers/harness.ts';

// Teams (and the Agents Playground) send installationUpdate and
// conversationUpdate for one install within milliseconds of each other.
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('simultaneous install activities on a fresh database', () => {
  it('create one tenant, one person, one admin and greet once', async () => {
    h = await startHarness();
    const results = await Promise.all([h.send(fixture('installation-update-add')), h.send(fixture('personal-install')), h.send(fixture('personal-message', { text: 'hjelp' }))]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await h.db.prisma.tenant.count()).toBe(1);
    expect(await h.db.prisma.orgUnit.count({ where: { kind: 'organisation' } })).toBe(1);
    expect(await h.db.prisma.person.count()).toBe(1);
    expect(await h.db.prisma.conversationRef.count()).toBe(1);
    expect(await h.db.prisma.roleAssignment.count({ where: { role: 'admin' } })).toBe(1);
    const greetings = h.connector.sentActivities().filter((a) => JSON.stringify(a).includes('Jeg er Kompetansepuls'));
    expect(greetings).toHaveLength(1);
    expect(h.logLines.filter((l) => l.msg === 'turn failed')).toEqual([]);
  });
});
