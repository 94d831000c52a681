import { describe, expect, it } from 'vitest';
import { commandsFor, isTenantAllowed, type CommandInfo } from '../../src/domain/commands.ts';
import { resolveLanguage } from '../../src/domain/language.ts';
import { en } from '../../src/i18n/en.ts';
import { nb } from '../../src/i18n/nb.ts';
import { nn } from '../../src/i18n/nn.ts';
import { translator } from '../../src/i18n/translate.ts';

describe('resolveLanguage', () => {
  it('prefers the person\'s own choice, then the client locale, then bokmål', () => {
    expect(resolveLanguage('en', 'nn-NO')).toBe('en');
    expect(resolveLanguage(null, 'nn-NO')).toBe('nn');
    expect(resolveLanguage(null, 'nb-NO')).toBe('nb');
    expect(resolveLanguage(null, 'no')).toBe('nb');
    expect(resolveLanguage(null, 'en-GB')).toBe('en');
    expect(resolveLanguage(null, 'sv-SE')).toBe('nb');
    expect(resolveLanguage(undefined, undefined)).toBe('nb');
  });
});

describe('message catalogues', () => {
  it('nynorsk and English have every key with the same placeholders as bokmål', () => {
    for (const key of Object.keys(nb) as Array<keyof typeof nb>) {
      const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(placeholders(nn[key]), `nn ${key}`).toEqual(placeholders(nb[key]));
      expect(placeholders(en[key]), `en ${key}`).toEqual(placeholders(nb[key]));
    }
  });

  it('fills parameters and refuses to show a raw placeholder', () => {
    expect(translator('nn')('privacy.promise', { k: 7 })).toContain('minst 7 personar');
    expect(() => translator('nb')('privacy.promise')).toThrow(/Missing parameter "k"/);
  });
});

describe('commandsFor', () => {
  const commands: CommandInfo[] = [
    { command: 'hjelp', descriptionKey: 'cmd.hjelp', roles: ['staff'] },
    { command: 'resultater', descriptionKey: 'cmd.resultater', roles: ['leader', 'coordinator'] },
    { command: 'roller', descriptionKey: 'cmd.rolle', roles: ['admin'] },
  ];
  it('shows everyone the staff commands and adds commands per role', () => {
    expect(commandsFor([], commands).map((c) => c.command)).toEqual(['hjelp']);
    expect(commandsFor(['leader'], commands).map((c) => c.command)).toEqual(['hjelp', 'resultater']);
    expect(commandsFor(['admin', 'coordinator'], commands).map((c) => c.command)).toEqual(['hjelp', 'resultater', 'roller']);
  });
});

describe('isTenantAllowed', () => {
  it('serves any tenant with an empty list, only listed ones otherwise (case-insensitive)', () => {
    expect(isTenantAllowed({ mode: 'local', allowedTenants: [] }, 'x')).toBe(true);
    expect(isTenantAllowed({ mode: 'production', allowedTenants: ['ABC'] }, 'abc')).toBe(true);
    expect(isTenantAllowed({ mode: 'production', allowedTenants: ['abc'] }, 'other')).toBe(false);
  });
  it('accepts activities without a tenant only in local mode', () => {
    expect(isTenantAllowed({ mode: 'local', allowedTenants: [] }, undefined)).toBe(true);
    expect(isTenantAllowed({ mode: 'production', allowedTenants: [] }, undefined)).toBe(false);
  });
});
