import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { noAutolinks } from '../../src/util/markdownText';

/** What the rendered text reads as: character references decoded. */
const decoded = (markdown: string): string =>
  markdown.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/&lt;/g, '<');

describe('noAutolinks (another party\'s text in hovers and tooltips)', () => {
  const cases = [
    '$(alert) !\\[x\\]\\(http://127.0.0.1/x.png\\)',
    'see https://example.com/a or ftp://host/x',
    'mail bob@example.com or www.example.com',
    '\\[docs\\]\\(file:///etc/passwd\\) <http://127.0.0.1:1/phish> <mailto:x@y.z> <vscode:cleanrooms/x>',
  ];

  it('leaves nothing a markdown renderer would autolink, and reads the same', () => {
    for (const text of cases) {
      const out = noAutolinks(text);
      assert.doesNotMatch(out, /:\/\//, out);
      assert.doesNotMatch(out, /\w@\w/, out);
      assert.doesNotMatch(out, /\bwww\./i, out);
      assert.doesNotMatch(out, /<[a-z][a-z0-9+.-]*:/i, out);
      assert.equal(decoded(out), text);
    }
  });

  it('keeps ordinary colons and at signs (times, "profile @ region", labels)', () => {
    const text = 'You: the account · 2024-06-01T10:00:00Z · cleanrooms-test @ us-east-1';
    assert.equal(noAutolinks(text), text);
  });
});
