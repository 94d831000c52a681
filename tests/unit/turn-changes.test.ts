import { describe, expect, it } from 'vitest';
import { sameConversation, seenAsBefore } from '../../src/domain/turn-changes.ts';

describe('seenAsBefore: does a turn tell anything new about a stored person?', () => {
  const stored = { teamsUserId: '29:kari', aadObjectId: 'aad-1', name: 'Kari', clientLocale: 'nb-NO' };

  it('nothing new: the same ids, name and locale, or fields the activity leaves out', () => {
    expect(seenAsBefore(stored, { teamsUserId: '29:kari', aadObjectId: 'aad-1', name: 'Kari', clientLocale: 'nb-NO' })).toBe(true);
    expect(seenAsBefore(stored, { teamsUserId: '29:kari' })).toBe(true);
  });

  it('something new: another name or locale, a first Entra id, or a person known only from a roster', () => {
    expect(seenAsBefore(stored, { teamsUserId: '29:kari', name: 'Kari Berg' })).toBe(false);
    expect(seenAsBefore(stored, { teamsUserId: '29:kari', clientLocale: 'nn-NO' })).toBe(false);
    expect(seenAsBefore({ ...stored, aadObjectId: null }, { teamsUserId: '29:kari', aadObjectId: 'aad-1' })).toBe(false);
    expect(seenAsBefore({ ...stored, teamsUserId: null }, { teamsUserId: '29:kari' })).toBe(false);
  });
});

describe('sameConversation: is the stored reference already what this turn would save?', () => {
  const reference = { conversation: { id: 'a:kari' }, user: { id: '29:kari', name: 'Kari' }, locale: 'nb-NO', channelId: 'msteams' };
  const stored = { kind: 'personal', serviceUrl: 'https://smba.example/emea/', personId: 'p1', teamsTeamId: null, reference: JSON.parse(JSON.stringify(reference)) as unknown };
  const wanted = { kind: 'personal', serviceUrl: 'https://smba.example/emea/', personId: 'p1', reference };

  it('the same: key order and absent (undefined) fields do not count, as in stored JSON', () => {
    const reordered = { locale: 'nb-NO', channelId: 'msteams', user: { name: 'Kari', id: '29:kari' }, conversation: { id: 'a:kari' } };
    expect(sameConversation({ ...stored, reference: reordered }, { ...wanted, reference: { ...reference, bot: undefined } })).toBe(true);
  });

  it('different: nothing stored, another service URL, person, team, or any part of the reference', () => {
    expect(sameConversation(null, wanted)).toBe(false);
    expect(sameConversation(stored, { ...wanted, serviceUrl: 'https://smba.example/amer/' })).toBe(false);
    expect(sameConversation(stored, { ...wanted, personId: 'p2' })).toBe(false);
    expect(sameConversation(stored, { ...wanted, teamsTeamId: '19:team' })).toBe(false);
    expect(sameConversation({ ...stored, personId: null }, wanted)).toBe(false);
    expect(sameConversation(stored, { ...wanted, reference: { ...reference, locale: 'en-GB' } })).toBe(false);
  });
});
