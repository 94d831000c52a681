import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { startPlayground, type Playground } from './support/playground.ts';

// The check-in as a person does it in the Playground: profile → a leader (the
// same person: the Playground has one user, who is the tenant's first admin)
// starts a pulse → answer → receipt → change the answer.
const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kp-e2e-')), 'pglite');

describe('check-in in the Agents Playground', () => {
  let pg: Playground;

  beforeAll(async () => {
    pg = await startPlayground({ databaseUrl: `pglite:${dataDir}` });
  });

  afterAll(async () => {
    await pg?.stop();
    fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  const reportOnFailure = (name: string) =>
    onTestFailed(async () => {
      await pg?.screenshot(`${name}-failed`, { fullPage: true }).catch(() => undefined);
      console.error(pg?.logs());
    });

  it('sets a profile, starts a pulse, answers it, sees the receipt and changes an answer', async () => {
    reportOnFailure('checkin');
    const { page } = pg;

    // 1. The profile card follows the greeting.
    await pg.waitForBotText('Profilen din', { any: true });
    const profile = pg.lastCard();
    await profile.getByRole('radio', { name: 'Barne- og ungdomsarbeider' }).check();
    await profile.getByRole('checkbox', { name: 'Elever med utagerende eller truende atferd' }).check();
    await profile.getByRole('button', { name: 'Lagre profil' }).click();
    await expect.poll(() => pg.lastCard().innerText(), { timeout: 20_000 }).toContain('Profilen din er lagret: Barne- og ungdomsarbeider');

    // 2. The first admin makes themself leader and starts a pulse.
    await pg.sendMessage('rolle meg leder');
    await pg.waitForBotText('er nå leder for Organisasjon');
    await pg.sendMessage('start puls laringsmiljo-1');
    await pg.waitForBotText(/Pulsen «Læringsmiljø – behov» er sendt til 1 av 1 i Organisasjon/);
    await pg.waitForBotText('Send svar', { any: true });
    const pulse = pg.lastCard();
    const pulseText = await pulse.innerText();
    expect(pulseText).toContain('Læringsmiljø – behov');
    expect(pulseText).toContain('Svarene dine vises bare samlet for grupper på minst 5 personer');
    expect(pulseText).toContain('Virker ikke knappene? Skriv «svar»');

    // 3. Answer: one radio per question, plus a comment.
    const groups = pulse.getByRole('radiogroup');
    const questions = await groups.count();
    expect(questions).toBe(6);
    const chosen = [2, 5, 1, 4, 3, 5];
    for (let i = 0; i < questions; i++) {
      await groups.nth(i).getByRole('radio').nth(chosen[i]! - 1).check();
    }
    await pulse.getByRole('textbox').fill('Mer tid til dette i fellestiden');
    await pg.screenshot('checkin-answering', { fullPage: true });
    await pulse.getByRole('button', { name: 'Send svar' }).click();
    await expect.poll(() => pg.lastCard().innerText(), { timeout: 20_000 }).toContain('Takk! Svarene dine er lagret.');
    const receipt = await pg.lastCard().innerText();
    expect(receipt).toContain('Mer tid til dette i fellestiden');
    expect(receipt).toMatch(/1 – /);
    await pg.screenshot('checkin-receipt', { fullPage: true });

    // 4. Change an answer.
    await pg.lastCard().getByRole('button', { name: 'Endre svar' }).click();
    await expect.poll(() => pg.lastCard().getByRole('radiogroup').count(), { timeout: 20_000 }).toBe(6);
    const again = pg.lastCard();
    expect(await again.getByRole('radiogroup').nth(2).getByRole('radio').nth(0).isChecked()).toBe(true);
    await again.getByRole('radiogroup').nth(2).getByRole('radio').nth(3).check();
    await again.getByRole('button', { name: 'Send svar' }).click();
    await expect.poll(() => pg.lastCard().innerText(), { timeout: 20_000 }).toContain('Takk! Svarene dine er lagret.');
    await page.locator('[data-lexical-editor=true]').blur();
    await pg.screenshot('checkin-changed', { fullPage: true });

    // 5. The database holds exactly one answer per item, with the changed value.
    await pg.stop();
    const db = await openDatabase({ kind: 'pglite', dataDir }, { migrate: false });
    try {
      const answers = await db.prisma.answer.findMany({ orderBy: { itemId: 'asc' } });
      expect(answers).toHaveLength(7);
      expect(new Set(answers.map((a) => a.itemId)).size).toBe(7);
      expect(answers.find((a) => a.itemId === 'competence-negativ-sosial-kontroll')?.value).toBe(4);
      expect(answers.find((a) => a.itemId === 'comment')?.comment).toBe('Mer tid til dette i fellestiden');
      expect(answers.every((a) => a.staffRole === 'child_youth_worker')).toBe(true);
    } finally {
      await db.close();
    }
  });
});
