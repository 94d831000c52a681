/**
 * Text one person wrote, shown in someone else's card (a staff member's
 * comment in a leader's «kommentarer» card), must read exactly as written and
 * never become a link, an image, formatting or markup there.
 *
 * Two layers:
 * 1. The card shows such text in a `TextRun` (inside a `RichTextBlock`), which
 *    Adaptive Card hosts, Teams included, do not run through Markdown — unlike
 *    a `TextBlock`, where `[klikk](https://…)` becomes a link and `**x**` bold.
 *    Backslash escapes are no alternative: Teams' clients disagree on them
 *    (AdaptiveCards #5590, #5758), so the backslashes would show, or not work.
 * 2. `plainCardText` (below) breaks, with invisible characters only, every
 *    construct that could still turn into a link or markup should a host ever
 *    interpret the text after all, and removes the characters that could
 *    disguise it (control and bidirectional-override characters).
 */

/** Zero-width space: invisible, and no Markdown, HTML or link detector treats it as part of a construct. */
const ZWSP = '\u200B';

/** C0/C1 controls except tab and line feed; bidirectional overrides and isolates (could reorder what is shown). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are removed.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * The text as shown in another person's card: same words and characters, but
 * no link, image, autolink or HTML tag can form, and no hidden control
 * characters remain. Idempotent.
 *
 * - `](`, `][`, `]:` (inline, reference and definition links and images) get a ZWSP after `]`;
 * - `://` gets a ZWSP after `:`, and `www.` one after `www`, so no bare address is linked;
 * - `<` before a letter, `/`, `!` or `?` (HTML tags, comments, autolinks) gets a ZWSP after it;
 * - CR/CRLF become LF, tabs a space, runs of blank lines one blank line, and the ends are trimmed.
 *
 * @example plainCardText('[klikk her](https://evil.example) <b>x</b>') // → '[klikk her]\u200B(https:\u200B//evil.example) <\u200Bb>x<\u200B/b>'
 */
export function plainCardText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '')
    .replace(/\](?=[([:])/g, `]${ZWSP}`)
    .replace(/:(?=\/\/)/g, `:${ZWSP}`)
    .replace(/\b(www)(?=\.)/gi, `$1${ZWSP}`)
    .replace(/<(?=[A-Za-z/!?])/g, `<${ZWSP}`)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
