import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translate.ts';
import type { CommentsView } from '../../src/services/results-extra.ts';
import { commentsCard } from '../../src/views/results-extra-cards.ts';
import { plainCardText } from '../../src/views/plain-text.ts';

const ZWSP = '\u200B';
const visible = (s: string) => s.replaceAll(ZWSP, '');

/** Everything that would turn into a link, image or tag if a Markdown/HTML renderer saw the text. */
const LINKISH = [
  /\]\(/, // [text](url), ![alt](url)
  /\]\[/, // [text][ref]
  /\]:/, // [ref]: url
  /[a-z][a-z0-9+.-]*:\/\//i, // any scheme://
  /\bwww\./i, // bare www. addresses
  /<[a-z/!?]/i, // <a href>, <b>, </b>, <!-- -->, <https://…> autolinks
];
const linkish = (s: string) => LINKISH.filter((re) => re.test(s)).map(String);

const MALICIOUS = [
  '[klikk her](https://evil.example) **fet** <b>x</b>',
  '![bilde](https://evil.example/pixel.png)',
  '[klikk][1]\n\n[1]: https://evil.example',
  '<https://evil.example> og <a href="https://evil.example">lenke</a>',
  'se www.evil.example eller http://evil.example/x?y=1',
  '<!-- skjult --> <img src=x onerror=alert(1)>',
  '[ fet ] (https://evil.example)',
];

describe('plainCardText: someone else\'s text in a card', () => {
  it('the issue\'s example keeps its words but cannot form a link or a tag', () => {
    const out = plainCardText('[klikk her](https://evil.example) **fet** <b>x</b>');
    expect(visible(out)).toBe('[klikk her](https://evil.example) **fet** <b>x</b>');
    expect(linkish(out)).toEqual([]);
  });

  it.each(MALICIOUS)('neutralises %j', (text) => {
    const out = plainCardText(text);
    expect(linkish(out)).toEqual([]);
    // Only invisible characters were added: the reader sees what was written (whitespace tidied).
    expect(visible(out).replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' ').trim());
  });

  it('leaves ordinary comments exactly as written', () => {
    for (const text of ['Vi trenger mer tid i fellestiden.', 'Kurs i klasseledelse: 5/5! (veldig nyttig)', 'Elever med 2 × 45 min * uke', 'snake_case og #emneknagg', '3 < 5 og 7 > 2']) {
      expect(plainCardText(text)).toBe(text);
    }
  });

  it('removes control and bidirectional-override characters, and tidies line breaks', () => {
    expect(plainCardText('abc\u202Egnp.exe\u2066x\u2069')).toBe('abcgnp.exex');
    expect(plainCardText('a\u0000b\u0007c\u009Fd')).toBe('abcd');
    expect(plainCardText('linje 1\r\nlinje 2\r\r\n\n\n\nlinje 3\tslutt  ')).toBe('linje 1\nlinje 2\n\nlinje 3 slutt');
  });

  it('is idempotent', () => {
    for (const text of MALICIOUS) expect(plainCardText(plainCardText(text))).toBe(plainCardText(text));
  });
});

describe('the «kommentarer» card', () => {
  const view: CommentsView = {
    pulseTitle: 'Læringsmiljø – behov',
    closedAt: new Date('2026-11-18T15:00:00Z'),
    query: { focus: 'summary', role: null, level: null } as CommentsView['query'],
    threshold: 10,
    respondents: 12,
    comments: ['[klikk her](https://evil.example) **fet** <b>x</b>', 'Mer tid til samarbeid.'],
  };

  type Element = { type: string; text?: string; inlines?: Element[]; items?: Element[]; selectAction?: unknown };
  const walk = (elements: Element[], visit: (e: Element) => void) => {
    for (const e of elements) {
      visit(e);
      walk([...(e.items ?? []), ...(e.inlines ?? [])], visit);
    }
  };

  it('shows each comment as plain text (a TextRun, never Markdown), with no link, tag or action in the card', () => {
    const card = commentsCard(view, 'nb', translator('nb'));
    const markdownTexts: string[] = [];
    const runs: string[] = [];
    walk(card.body as Element[], (e) => {
      if (e.type === 'TextBlock') markdownTexts.push(e.text ?? '');
      if (e.type === 'TextRun') runs.push(e.text ?? '');
      expect(e.selectAction).toBeUndefined();
    });
    expect(runs.map(visible)).toEqual(['«[klikk her](https://evil.example) **fet** <b>x</b>»', '«Mer tid til samarbeid.»']);
    // Nothing a staff member wrote is in a TextBlock (which Teams runs through Markdown).
    expect(markdownTexts.some((t) => t.includes('klikk') || t.includes('samarbeid'))).toBe(false);
    // And even read as Markdown or HTML, nothing in the card could become a link or a tag.
    const { $schema: _schema, ...content } = card as Record<string, unknown>;
    expect(linkish(JSON.stringify(content))).toEqual([]);
    expect(JSON.stringify(content)).not.toMatch(/Action\.OpenUrl|"url"/);
  });
});
