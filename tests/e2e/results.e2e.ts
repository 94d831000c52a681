import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startPlayground, type Playground } from './support/playground.ts';

// With the demo municipality seeded, a leader asks in plain words and gets a chart card.
const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kp-e2e-results-')), 'pglite');

describe('results in the Agents Playground', () => {
  let pg: Playground;

  beforeAll(async () => {
    const seed = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo-seed.ts'], { env: { ...process.env, DATABASE_URL: `pglite:${dataDir}` }, encoding: 'utf8', timeout: 120_000 });
    if (seed.status !== 0) throw new Error(`demo:seed failed: ${seed.stdout}\n${seed.stderr}`);
    pg = await startPlayground({ databaseUrl: `pglite:${dataDir}` });
  });
  afterAll(async () => {
    await pg?.stop();
    fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('a leader asks "hva trenger assistentene mest?" and gets a chart card; small groups are hidden', async () => {
    onTestFailed(async () => {
      await pg?.screenshot('results-failed', { fullPage: true }).catch(() => undefined);
      console.error(pg?.logs());
    });
    await pg.waitForBotText('Jeg er Kompetansepuls', { any: true });
    await pg.sendMessage('rolle meg leder Fjordvik kommune');
    await pg.waitForBotText('er nå leder for Fjordvik kommune');

    await pg.sendMessage('hva trenger assistentene mest?');
    await pg.waitForBotText('Størst behov');
    const needs = await pg.lastCard().innerText();
    expect(needs).toMatch(/Størst behov: .+ \(Assistent eller miljøarbeider \d+ %/);
    expect(needs).toContain('Bare grupper med minst 5 svar vises');
    await pg.screenshot('results-assistants', { fullPage: true });

    await pg.sendMessage('resultater');
    await pg.waitForBotText('Per ansattgruppe');
    const summary = await pg.lastCard().innerText();
    expect(summary).toMatch(/Lærer\s+.+ \d+ %/);
    expect(summary).toContain('for få svar (under 5)');
    await pg.screenshot('results-summary', { fullPage: true });
  });

  it('the leader asks what to do for the assistants, gets three measures with reasons, and chooses one', async () => {
    onTestFailed(async () => {
      await pg?.screenshot('suggestions-failed', { fullPage: true }).catch(() => undefined);
      console.error(pg?.logs());
    });
    await pg.sendMessage('hva bør vi gjøre for assistentene?');
    await pg.waitForBotText('Forslag til tiltak for assistentene og miljøarbeiderne');
    const card = pg.lastCard();
    const text = await card.innerText();
    expect(text).toMatch(/Fordi \d+ % av assistentene og miljøarbeiderne/);
    expect(text).toMatch(/\d+ % sier at .+ hindrer dem/);
    await pg.screenshot('suggestions-assistants', { fullPage: true });
    await card.getByRole('button', { name: /^Velg 1:/ }).click();
    await pg.waitForBotText(/er registrert for assistentene og miljøarbeiderne ved Fjordvik kommune/);
    await pg.screenshot('suggestions-chosen', { fullPage: true });
  });
});
