import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startPlayground, type Playground } from './support/playground.ts';

// First contact in a personal chat, as a person sees it in the Playground:
// the welcome card on install, then «hjelp», then something the bot does not understand.
describe('first contact in a personal chat', () => {
  let pg: Playground;

  beforeAll(async () => {
    pg = await startPlayground();
  });

  afterAll(async () => {
    await pg?.stop();
  });

  const reportOnFailure = (name: string) =>
    onTestFailed(async () => {
      await pg?.screenshot(`${name}-failed`).catch(() => undefined);
      console.error(pg?.logs());
    });

  it('greets with the welcome card, answers «hjelp» with the help card and falls back politely', async () => {
    reportOnFailure('first-contact');
    const { page } = pg;

    // Opening the Playground installs the bot in a personal chat: installationUpdate + conversationUpdate.
    const welcome = await pg.waitForBotText(/Jeg er Kompetansepuls\./, { any: true });
    await expect.poll(() => pg.activities.map((a) => a.type)).toEqual(expect.arrayContaining(['installationUpdate', 'conversationUpdate']));
    const welcomeCard = welcome.locator('.ac-adaptiveCard');
    await welcomeCard.waitFor({ state: 'visible' });
    // The Playground's conversationUpdate carries no user name, so the greeting has no name in it.
    await expect.poll(() => welcomeCard.innerText()).toMatch(/^Hei(, [^!]+)?! Jeg er Kompetansepuls\./);
    const welcomeText = await welcomeCard.innerText();
    expect(welcomeText).toContain('Av og til sender jeg deg en kort sjekk');
    expect(welcomeText).toContain('Svarene dine vises bare samlet for grupper på minst 5 personer – aldri enkeltvis.');
    expect(welcomeText).toContain('Skriv «hjelp» for å se hva jeg kan gjøre.');
    // One greeting, although two install activities came in (other onboarding messages may follow it).
    expect(await pg.botMessages().filter({ hasText: 'Jeg er Kompetansepuls.' }).count()).toBe(1);
    await welcome.scrollIntoViewIfNeeded();
    await pg.screenshot('first-contact-welcome');

    await pg.sendMessage('hjelp');
    const help = await pg.waitForBotText('Dette kan jeg hjelpe deg med');
    const helpCard = pg.lastCard();
    expect(await helpCard.isVisible()).toBe(true);
    expect(await help.locator('.ac-adaptiveCard').count()).toBe(1);
    const helpText = await helpCard.innerText();
    expect(helpText).toContain('Skriv en av kommandoene under i chatten.');
    expect(helpText).toMatch(/hjelp\s+Vis denne oversikten/);
    expect(helpText).toContain('grupper på minst 5 personer');

    await pg.sendMessage('hva er klokka');
    const fallback = await pg.waitForBotText('Det forsto jeg ikke helt. Skriv «hjelp» for å se hva jeg kan gjøre.');
    expect(await fallback.isVisible()).toBe(true);
    expect(await fallback.locator('.ac-adaptiveCard').count()).toBe(0); // plain text, not a card

    // What the bot was sent: the user's two messages, from the Playground's tenant and user.
    const messages = pg.activities.filter((a) => a.type === 'message');
    expect(messages.map((a) => a.text)).toEqual(['hjelp', 'hva er klokka']);
    expect(messages.every((a) => a.locale === 'nb-NO')).toBe(true);
    expect(await pg.userMessages().allInnerTexts()).toEqual([expect.stringContaining('hjelp'), expect.stringContaining('hva er klokka')]);
    // Exactly one reply to each message.
    expect(await pg.botMessages().filter({ hasText: 'Dette kan jeg hjelpe deg med' }).count()).toBe(1);
    expect(await pg.botMessages().filter({ hasText: 'Det forsto jeg ikke helt.' }).count()).toBe(1);

    await page.locator('[data-lexical-editor=true]').blur();
    await pg.screenshot('first-contact');
  });

  it('answers in English when the client locale is the Playground’s own en-US', async () => {
    reportOnFailure('first-contact-en');
    pg.setLocale(null);
    await pg.sendMessage('hjelp');
    await pg.waitForBotText('Here is what I can help you with');
    await pg.sendMessage('hva er klokka');
    await pg.waitForBotText('I did not quite get that.');
    expect(pg.activities.filter((a) => a.type === 'message').at(-1)?.locale).toBe('en-US');
  });
});
