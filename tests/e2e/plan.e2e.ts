import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startPlayground, type Playground } from './support/playground.ts';

// A coordinator plans a recurring pulse in the Playground; it arrives by
// itself at the planned minute (Europe/Oslo), through the real job queue.
function osloParts(date: Date) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

describe('planning a recurring pulse in the Agents Playground', () => {
  let pg: Playground;

  beforeAll(async () => {
    pg = await startPlayground();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it('plans a weekly pulse two minutes ahead; the card arrives at that time and can be answered', { timeout: 240_000 }, async () => {
    onTestFailed(async () => {
      await pg?.screenshot('plan-failed', { fullPage: true }).catch(() => undefined);
      console.error(pg?.logs());
    });
    await pg.waitForBotText('Profilen din', { any: true });
    await pg.sendMessage('rolle meg koordinator');
    await pg.waitForBotText('er nå koordinator for Organisasjon');

    await pg.sendMessage('ny plan');
    await pg.waitForBotText('Planlegg pulser');
    const form = pg.lastCard();
    // Fluent UI comboboxes: open, then pick the option.
    const choose = async (label: RegExp, option: RegExp) => {
      await form.getByRole('combobox', { name: label }).click();
      await pg.page.getByRole('option', { name: option }).first().click();
    };
    // Two whole minutes ahead in Oslo time (the browser runs in Europe/Oslo, as a Norwegian school's would).
    let target = new Date(Math.ceil((Date.now() + 2 * 60_000) / 60_000) * 60_000);
    if (osloParts(target).date !== osloParts(new Date()).date) {
      await new Promise((r) => setTimeout(r, target.getTime() - Date.now() + 1000)); // just past midnight
      target = new Date(Math.ceil((Date.now() + 2 * 60_000) / 60_000) * 60_000);
    }
    const first = osloParts(target);
    await choose(/Hvilken puls/, /Organisering av kompetansen/);
    await form.getByRole('combobox', { name: /Første utsending/ }).click();
    await pg.page.locator('[aria-current="date"]').first().click();
    const time = form.getByRole('combobox', { name: /Klokkeslett/ });
    await time.click();
    await time.fill(first.time);
    await time.press('Enter');
    await choose(/Gjenta/, /^Hver uke$/);
    // Keep the default window (3 days) and reminders (1 day after start, 1 day before the deadline).
    await pg.screenshot('plan-form', { fullPage: true });
    await form.getByRole('button', { name: 'Lagre planen' }).click();
    await expect.poll(() => pg.lastCard().innerText(), { timeout: 20_000 }).toContain('Planen er lagret');
    const saved = await pg.lastCard().innerText();
    expect(saved).toContain('De neste utsendingene:');
    expect(saved).toContain(`kl. ${first.time}`);

    // The pulse arrives by itself at the planned minute.
    const arrived = await pg.waitForBotText('Send svar', { any: true, timeoutMs: 200_000 });
    // Not before the planned minute, and within a few seconds of it.
    expect(Date.now()).toBeGreaterThanOrEqual(target.getTime());
    expect(Date.now() - target.getTime()).toBeLessThan(30_000);
    const pulse = arrived.locator('.ac-adaptiveCard');
    expect(await pulse.innerText()).toContain('Organisering');
    // No profile yet: the card asks the staff role once, at the top.
    await pulse.getByRole('combobox').first().click();
    await pg.page.getByRole('option', { name: 'Lærer', exact: true }).click();
    const groups = pulse.getByRole('radiogroup');
    for (let i = 0; i < (await groups.count()); i++) await groups.nth(i).getByRole('radio').nth(3).check();
    await pulse.getByRole('button', { name: 'Send svar' }).click();
    await expect.poll(() => pg.lastCard().innerText(), { timeout: 20_000 }).toContain('Takk! Svarene dine er lagret.');

    await pg.sendMessage('planer');
    await pg.waitForBotText('Organisering');
    await pg.screenshot('plan-list', { fullPage: true });
    const list = await pg.lastCard().innerText();
    expect(list).toMatch(/Hver uke|hver uke|onsdag|mandag|tirsdag|torsdag|fredag|lørdag|søndag/i);
  });
});
