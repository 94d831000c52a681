import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixture, startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => h.connector.reset());

const cardText = (card: unknown) => JSON.stringify(card);

describe('personal install', () => {
  it('greets in bokmål with the privacy promise, stores the person and the conversation reference, and makes the first installer admin', async () => {
    const res = await h.send(fixture('personal-install', { from: { id: '29:1staff-kari', name: 'Kari Nordmann', aadObjectId: '8d0b2b0e-0000-4000-8000-00000000a001' } }));
    expect(res.status).toBe(200);

    const sent = h.connector.sentActivities();
    expect(sent).toHaveLength(2);
    const card = sent[0]!.attachments![0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(card.content)).toContain('Hei, Kari! Jeg er Kompetansepuls.');
    expect(cardText(card.content)).toContain('grupper på minst 5 personer');
    expect(cardText(card.content)).toContain('så du er administrator');
    // The profile is asked once, right after the greeting.
    expect(cardText(sent[1]!.attachments![0]!.content)).toContain('Profilen din');
    // The reply goes to the right conversation on the connector.
    expect(h.connector.calls[0]!.conversationId).toBe('a:1personal-kari');

    const prisma = h.db.prisma;
    const tenant = await prisma.tenant.findUniqueOrThrow({ where: { teamsTenantId: 'f1e2d3c4-0000-4000-8000-000000000001' } });
    const person = await prisma.person.findFirstOrThrow({ where: { tenantId: tenant.id, teamsUserId: '29:1staff-kari' } });
    expect(person.aadObjectId).toBe('8d0b2b0e-0000-4000-8000-00000000a001');
    expect(person.clientLocale).toBe('nb-NO');
    const ref = await prisma.conversationRef.findFirstOrThrow({ where: { personId: person.id } });
    expect(ref.kind).toBe('personal');
    expect(ref.serviceUrl).toBe(h.connector.url);
    expect((ref.reference as { conversation: { id: string } }).conversation.id).toBe('a:1personal-kari');
    const roles = await prisma.roleAssignment.findMany({ where: { personId: person.id } });
    expect(roles.map((r) => r.role)).toEqual(['admin']);
    const audit = await prisma.auditEntry.findMany({ where: { tenantId: tenant.id, action: 'bot.installed' } });
    expect(audit).toHaveLength(1);
  });

  it('does not greet twice for the installationUpdate that follows, and a second installer is not admin', async () => {
    await h.send(fixture('installation-update-add'));
    expect(h.connector.sentActivities()).toHaveLength(0);

    await h.send(fixture('personal-install', { from: { id: '29:1staff-per', aadObjectId: '8d0b2b0e-0000-4000-8000-00000000a002', name: 'Per Hansen' }, conversation: { id: 'a:1personal-per' } }));
    const per = await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: '29:1staff-per' } });
    expect(await h.db.prisma.roleAssignment.count({ where: { personId: per.id } })).toBe(0);
    expect(await h.db.prisma.roleAssignment.count({ where: { role: 'admin' } })).toBe(1);
    expect(JSON.stringify(h.connector.sentActivities())).not.toContain('administrator');
  });

  it('greets in nynorsk and English from the Teams client locale', async () => {
    await h.send(fixture('personal-install', { locale: 'nn-NO', from: { id: '29:1staff-nn', name: 'Sigrid Vik', aadObjectId: '8d0b2b0e-0000-4000-8000-00000000a003' }, conversation: { id: 'a:1personal-nn' } }));
    await h.send(fixture('personal-install', { locale: 'en-GB', from: { id: '29:1staff-en', name: 'Sam Smith', aadObjectId: '8d0b2b0e-0000-4000-8000-00000000a004' }, conversation: { id: 'a:1personal-en' } }));
    const [nn, , en] = h.connector.sentActivities().map((a) => cardText(a.attachments![0]!.content));
    expect(nn).toContain('Hei, Sigrid! Eg er Kompetansepuls.');
    expect(nn).toContain('Svara dine blir berre viste samla');
    expect(en).toContain('Hi, Sam! I am Kompetansepuls.');
  });
});

describe('known people', () => {
  it('a known person\'s turns rewrite nothing; a new name or client locale is saved', async () => {
    const from = { id: '29:1staff-turns', name: 'Turid Lie', aadObjectId: '8d0b2b0e-0000-4000-8000-00000000a0f1' };
    const conversation = { id: 'a:1personal-turns' };
    await h.send(fixture('personal-install', { from, conversation }));
    const state = async () => {
      const person = await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: from.id } });
      const ref = await h.db.prisma.conversationRef.findFirstOrThrow({ where: { conversationId: conversation.id } });
      return { person, ref };
    };
    await h.send(fixture('personal-message', { from, conversation, text: 'hjelp' }));
    const first = await state();
    // The reference kept for proactive sends does not carry the last activity's id.
    expect(first.ref.reference).not.toHaveProperty('activityId');
    expect(first.ref.reference).toMatchObject({ conversation: { id: conversation.id }, user: { id: from.id }, locale: 'nb-NO' });

    await h.send(fixture('personal-message', { from, conversation, text: 'hjelp' }));
    const second = await state();
    expect(second.person.updatedAt).toEqual(first.person.updatedAt);
    expect(second.ref.updatedAt).toEqual(first.ref.updatedAt);
    expect(h.connector.sentActivities().length).toBeGreaterThanOrEqual(2); // both turns were answered

    await h.send(fixture('personal-message', { from: { ...from, name: 'Turid Lie Berg' }, conversation, text: 'help', locale: 'en-GB' }));
    const third = await state();
    expect(third.person).toMatchObject({ name: 'Turid Lie Berg', clientLocale: 'en-GB' });
    expect(third.ref.updatedAt.getTime()).toBeGreaterThan(first.ref.updatedAt.getTime());
    expect(third.ref.reference).toMatchObject({ locale: 'en-GB', user: { id: from.id, name: 'Turid Lie Berg' } });
    expect(await h.db.prisma.conversationRef.count({ where: { conversationId: conversation.id } })).toBe(1);
  });
});

describe('team install', () => {
  it('records the team as a unit and its channel conversation, and greets the team', async () => {
    await h.send(fixture('team-install'));
    const sent = h.connector.sentActivities();
    expect(sent).toHaveLength(1);
    expect(cardText(sent[0]!.attachments![0]!.content)).toContain('Hei, Nordby skole – alle ansatte! Kompetansepuls er lagt til.');
    const unit = await h.db.prisma.orgUnit.findFirstOrThrow({ where: { teamsTeamId: '19:general-nordby@thread.tacv2' } });
    expect(unit.kind).toBe('team');
    expect(unit.name).toBe('Nordby skole – alle ansatte');
    const ref = await h.db.prisma.conversationRef.findFirstOrThrow({ where: { conversationId: '19:general-nordby@thread.tacv2' } });
    expect(ref.kind).toBe('channel');
    expect(ref.teamsTeamId).toBe('19:general-nordby@thread.tacv2');
  });
});

describe('help and unknown text', () => {
  it('answers "hjelp" with a card listing the commands and the person\'s roles', async () => {
    await h.send(fixture('personal-message', { text: 'hjelp' }));
    const sent = h.connector.sentActivities();
    expect(sent).toHaveLength(1);
    const text = cardText(sent[0]!.attachments![0]!.content);
    expect(text).toContain('Dette kan jeg hjelpe deg med');
    expect(text).toContain('Rollene dine: ansatt, administrator');
    expect(text).not.toContain('${');
  });

  it('answers "help" from an English client in English', async () => {
    await h.send(fixture('personal-message', { text: 'Help', locale: 'en-US', from: { id: '29:1staff-en', aadObjectId: '8d0b2b0e-0000-4000-8000-00000000a004' }, conversation: { id: 'a:1personal-en' } }));
    const text = cardText(h.connector.sentActivities()[0]!.attachments![0]!.content);
    expect(text).toContain('Here is what I can help you with');
    expect(text).toContain('Your roles: staff');
  });

  it('points unknown text to help, in the person\'s language', async () => {
    await h.send(fixture('personal-message', { text: 'hva er klokka?' }));
    await h.send(fixture('personal-message', { text: 'kva er klokka?', locale: 'nn-NO', from: { id: '29:1staff-nn', aadObjectId: '8d0b2b0e-0000-4000-8000-00000000a003' }, conversation: { id: 'a:1personal-nn' } }));
    const [nb, nn] = h.connector.sentActivities();
    expect(nb!.text).toBe('Det forsto jeg ikke helt. Skriv «hjelp» for å se hva jeg kan gjøre.');
    expect(nn!.text).toBe('Det forstod eg ikkje heilt. Skriv «hjelp» for å sjå kva eg kan gjere.');
  });

  it('logs one line per activity with tenant, pseudonymous conversation, type and duration, and no message text or names', async () => {
    const before = h.logLines.length;
    await h.send(fixture('personal-message', { text: 'hemmelig tekst' }));
    const lines = h.logLines.slice(before).filter((l) => l.msg === 'activity');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ tenant: 'f1e2d3c4-0000-4000-8000-000000000001', activityType: 'message', status: 200 });
    expect(typeof lines[0]!.durationMs).toBe('number');
    expect(lines[0]!.conversation).toMatch(/^[0-9a-f]{12}$/);
    const all = JSON.stringify(h.logLines);
    expect(all).not.toContain('hemmelig tekst');
    expect(all).not.toContain('Kari Nordmann');
    expect(all).not.toContain('a:1personal-kari');
  });
});

describe('http front', () => {
  it('reports database health on /healthz', async () => {
    const res = await fetch(`${h.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('rejects bodies over the size limit with 413 and stores nothing', async () => {
    const people = await h.db.prisma.person.count();
    const res = await h.send(fixture('personal-message', { text: 'x'.repeat(300 * 1024), from: { id: '29:1huge', aadObjectId: '8d0b2b0e-0000-4000-8000-00000000a005' } }));
    expect(res.status).toBe(413);
    expect(await h.db.prisma.person.count()).toBe(people);
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await fetch(`${h.baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    expect(res.status).toBe(400);
  });
});
