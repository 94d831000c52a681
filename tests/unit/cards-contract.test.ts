import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CARDS_DIR, CardTemplateError, renderCard } from '../../src/views/render-card.ts';

// adaptivecards 3.x is extensionless ESM that Node cannot `require`; its UMD
// bundle loads fine and parses/validates without a DOM.
const AC = await import('adaptivecards/dist/adaptivecards.js');

const templates = fs
  .readdirSync(CARDS_DIR)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.data.json'))
  .map((f) => f.replace(/\.json$/, ''));

function validate(card: object) {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  // Teams' chart elements are not in the Adaptive Cards SDK; they are allowed
  // only with a fallback (checked below), which the SDK then renders.
  const errors = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message).filter(
    (m) => !/^Unknown element type "Chart\.(HorizontalBar|HorizontalBar\.Stacked|VerticalBar|VerticalBar\.Grouped|Line|Pie|Donut|Gauge)"\. Fallback will be used if present\.$/.test(m),
  );
  const report = parsed.validateProperties();
  return { parsed, errors, validationFailures: report.validationEvents.map((e) => e.message) };
}

/** Every Teams chart element in a card (they need a fallback for clients without charts). */
function chartsIn(node: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(node)) return node.flatMap(chartsIn);
  if (!node || typeof node !== 'object') return [];
  const own = String((node as { type?: unknown }).type ?? '').startsWith('Chart.') ? [node as Record<string, unknown>] : [];
  return [...own, ...Object.values(node).flatMap(chartsIn)];
}

describe('card templates', () => {
  it('has templates to check', () => {
    expect(templates.length).toBeGreaterThan(0);
  });

  for (const name of templates) {
    describe(name, () => {
      const template = JSON.parse(fs.readFileSync(path.join(CARDS_DIR, `${name}.json`), 'utf8'));
      const sampleFile = path.join(CARDS_DIR, `${name}.data.json`);

      it('is an Adaptive Card 1.5 (what Teams supports) with sample data', () => {
        expect(template.type).toBe('AdaptiveCard');
        expect(template.version).toBe('1.5');
        expect(fs.existsSync(sampleFile), `${name}.data.json`).toBe(true);
      });

      it('expands its sample with no leftover ${…} and validates with the Adaptive Cards SDK', () => {
        const card = renderCard(name, JSON.parse(fs.readFileSync(sampleFile, 'utf8')));
        expect(JSON.stringify(card)).not.toContain('${');
        const { errors, validationFailures } = validate(card);
        expect(errors).toEqual([]);
        expect(validationFailures).toEqual([]);
        expect(JSON.stringify(card).length).toBeLessThan(40_000);
        for (const chart of chartsIn(card)) expect(chart.fallback, `${String(chart.type)} needs a fallback`).toBeTruthy();
      });

      it('fails loudly when data is missing instead of showing template syntax', () => {
        expect(() => renderCard(name, {})).toThrow(CardTemplateError);
      });
    });
  }

  it('keeps user text that looks like template syntax from breaking the check', () => {
    const card = renderCard('welcome', { title: 'a ${title}', body: 'b', privacy: 'c', adminHint: '', helpHint: 'd' });
    expect(JSON.stringify(card)).toContain('a $\u200B{title}');
  });

  it('the validator catches a broken card (the contract test can fail)', () => {
    const { validationFailures, errors } = validate({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.ChoiceSet', id: 'x', choices: [{ title: 'a' }] }, { type: 'Input.Text', id: 'x' }] });
    expect(validationFailures.length + errors.length).toBeGreaterThan(0);
  });
});
