import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queryToRun, splitStatements, statementAt } from '../../src/queries/statements';

const texts = (sql: string): string[] => splitStatements(sql).map((s) => s.text);

describe('splitting SQL into statements', () => {
  it('splits on semicolons and leaves out the semicolons', () => {
    assert.deepEqual(texts('SELECT 1; SELECT 2;'), ['SELECT 1', 'SELECT 2']);
  });

  it('keeps a last statement without a trailing semicolon', () => {
    assert.deepEqual(texts('SELECT 1;\nSELECT 2\n'), ['SELECT 1', 'SELECT 2']);
  });

  it('ignores semicolons inside strings, with doubled-quote escapes', () => {
    assert.deepEqual(texts("SELECT 'a;b', 'it''s; here' FROM t; SELECT 2"), ["SELECT 'a;b', 'it''s; here' FROM t", 'SELECT 2']);
  });

  it('ignores semicolons inside quoted identifiers (double quotes and backticks)', () => {
    assert.deepEqual(texts('SELECT "odd;name", "x"";y" FROM `t;1`; SELECT 2'), ['SELECT "odd;name", "x"";y" FROM `t;1`', 'SELECT 2']);
  });

  it('ignores semicolons inside line and block comments', () => {
    const sql = '-- header; not a statement\nSELECT 1 /* a; b */ FROM t -- trailing;\n; SELECT 2';
    assert.deepEqual(texts(sql), ['SELECT 1 /* a; b */ FROM t', 'SELECT 2']);
  });

  it('leaves out empty statements and comment-only ones', () => {
    assert.deepEqual(texts(';;  ;\n-- only a comment\n;/* block */;SELECT 1;;'), ['SELECT 1']);
    assert.deepEqual(texts(''), []);
    assert.deepEqual(texts('   \r\n  '), []);
  });

  it('reports offsets into CRLF text as written', () => {
    const sql = '-- @membership x\r\nSELECT 1\r\nFROM t;\r\n\r\nSELECT 2;\r\n';
    const [first, second] = splitStatements(sql);
    assert.equal(sql.slice(first.start, first.end), 'SELECT 1\r\nFROM t');
    assert.equal(first.start, sql.indexOf('SELECT 1'));
    assert.equal(sql.slice(second.start, second.end), 'SELECT 2');
  });

  it('runs an unterminated string or comment to the end', () => {
    assert.deepEqual(texts("SELECT 'open; still open"), ["SELECT 'open; still open"]);
    assert.deepEqual(texts('SELECT 1 /* open; comment'), ['SELECT 1']);
  });

  it('does not take a minus sign or a slash for a comment', () => {
    assert.deepEqual(texts('SELECT 3 - 1 / 2; SELECT -1'), ['SELECT 3 - 1 / 2', 'SELECT -1']);
  });
});

describe('the statement under the cursor', () => {
  const sql = 'SELECT 1;\n\nSELECT 2\nFROM t;\n';

  it('is the statement whose text holds the cursor', () => {
    assert.equal(statementAt(sql, 2)?.text, 'SELECT 1');
    assert.equal(statementAt(sql, sql.indexOf('FROM') + 2)?.text, 'SELECT 2\nFROM t');
  });

  it('is the next statement on the blank lines before it', () => {
    assert.equal(statementAt(sql, sql.indexOf('\n\n') + 1)?.text, 'SELECT 2\nFROM t');
  });

  it('is the statement just ended after its semicolon', () => {
    assert.equal(statementAt(sql, sql.length)?.text, 'SELECT 2\nFROM t');
    assert.equal(statementAt('SELECT 1;', 9)?.text, 'SELECT 1');
  });

  it('is the only statement at the very end without a semicolon', () => {
    assert.equal(statementAt('SELECT 1', 8)?.text, 'SELECT 1');
  });

  it('is nothing in a document of comments', () => {
    assert.equal(statementAt('-- nothing here\n', 3), undefined);
  });
});

describe('what Run runs', () => {
  const sql = 'SELECT 1;\nSELECT 2;';

  it('runs a non-empty selection, without its trailing semicolon', () => {
    assert.equal(queryToRun(sql, { start: 10, end: sql.length }, 10), 'SELECT 2');
  });

  it('runs the statement under the cursor when nothing (or only blanks) is selected', () => {
    assert.equal(queryToRun(sql, { start: 3, end: 3 }, 3), 'SELECT 1');
    assert.equal(queryToRun(sql, { start: 9, end: 10 }, 10), 'SELECT 2');
  });

  it('runs nothing in an empty document', () => {
    assert.equal(queryToRun('', { start: 0, end: 0 }, 0), undefined);
  });
});
