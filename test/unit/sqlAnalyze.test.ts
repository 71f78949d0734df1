import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { performance } from 'node:perf_hooks';
import { analyzeStatement } from '../../src/sql/analyze';
import { maskParameters } from '../../src/sql/source';
import { catalogFrom, type Catalog, type TableSchema } from '../../src/sql/catalog';
import type { FindingCode, SqlFinding } from '../../src/sql/findings';
import { hoverAt } from '../../src/sql/hover';
import { warningLines } from '../../src/queries/preflightText';
import { bigCatalog, testCatalog, testTables } from '../fakes/sqlCatalogFixture';

const catalog = testCatalog();

const found = (sql: string, findings: readonly SqlFinding[]): string[] => findings.map((f) => `${f.code} [${sql.slice(f.start, f.end)}]`);

/** The text after a finding's quick fix. */
function applyFix(sql: string, finding: SqlFinding): string {
  assert.ok(finding.fix, `${finding.code} has no quick fix`);
  return [...finding.fix.edits].sort((a, b) => b.start - a.start).reduce((text, e) => text.slice(0, e.start) + e.text + text.slice(e.end), sql);
}

async function only(sql: string, code: FindingCode, on = catalog): Promise<SqlFinding> {
  const check = await analyzeStatement(sql, on);
  assert.equal(check.parsed, true);
  const hits = check.findings.filter((f) => f.code === code);
  assert.equal(hits.length, 1, `expected one ${code}: ${JSON.stringify(found(sql, check.findings))}`);
  return hits[0];
}

async function clean(sql: string, on: Catalog = catalog): Promise<void> {
  const check = await analyzeStatement(sql, on);
  assert.equal(check.parsed, true, `did not parse: ${sql}`);
  assert.deepEqual(found(sql, check.findings), [], sql);
}

/** 16 (or 15) tables of the big catalog joined on their join column. */
function joinOf(n: number): string {
  const joins = Array.from({ length: n - 1 }, (_, i) => `JOIN t${i + 1} ON t0.hashed_email = t${i + 1}.hashed_email`).join(' ');
  return `SELECT t0.c0, COUNT(DISTINCT t0.hashed_email) FROM t0 ${joins} GROUP BY t0.c0`;
}
const big = bigCatalog(20, 6);

const CASES: { code: FindingCode; bad: string; at: string; good: string; catalog?: Catalog }[] = [
  { code: 'unknownTable', bad: 'SELECT campaign, COUNT(DISTINCT hashed_email) FROM ad_impresions GROUP BY campaign', at: 'ad_impresions', good: 'SELECT campaign, COUNT(DISTINCT hashed_email) FROM AD_IMPRESSIONS GROUP BY campaign' },
  { code: 'unknownColumn', bad: 'SELECT i.campagn, COUNT(DISTINCT i.hashed_email) FROM ad_impressions i GROUP BY 1', at: 'campagn', good: 'SELECT campaign AS campagn, COUNT(DISTINCT hashed_email) n FROM ad_impressions GROUP BY campagn ORDER BY n' },
  { code: 'tooManyTables', bad: joinOf(16), at: 't15', good: joinOf(15), catalog: big },
  { code: 'noAnalysisRule', bad: 'SELECT payload FROM raw_staging', at: 'raw_staging', good: 'SELECT segment, age FROM crm_attributes' },
  { code: 'templatesOnly', bad: 'SELECT score FROM model_scores', at: 'model_scores', good: 'SELECT segment, COUNT(*) FROM crm_attributes GROUP BY segment' },
  { code: 'mixedRuleTypes', bad: 'SELECT COUNT(DISTINCT i.hashed_email) FROM ad_impressions i JOIN customer_list c ON i.hashed_email = c.hashed_email', at: 'customer_list', good: 'SELECT c.first_name, l.tier FROM customer_list c JOIN loyalty_members l ON c.hashed_email = l.hashed_email' },
  { code: 'selectStar', bad: 'SELECT * FROM customer_list', at: '*', good: 'SELECT DISTINCT first_name, city FROM customer_list LIMIT 10' },
  { code: 'forbiddenOutputColumn', bad: 'SELECT campaign, hashed_email, COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY campaign', at: 'hashed_email', good: 'SELECT campaign, COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY campaign' },
  { code: 'joinColumnOutsideJoin', bad: 'SELECT campaign, SUM(clicks) FROM ad_impressions WHERE hashed_email IS NOT NULL GROUP BY campaign', at: 'hashed_email', good: 'SELECT i.campaign, SUM(i.clicks) FROM ad_impressions i JOIN purchases p ON i.hashed_email = p.hashed_email GROUP BY i.campaign' },
  { code: 'columnNotAllowedHere', bad: 'SELECT campaign, SUM(clicks) FROM ad_impressions WHERE spend > 100 GROUP BY campaign', at: 'spend', good: 'SELECT campaign, SUM(clicks) FROM ad_impressions GROUP BY campaign HAVING SUM(spend) > 100' },
  { code: 'aggregateNotAllowed', bad: 'SELECT campaign, COUNT(spend) FROM ad_impressions GROUP BY campaign', at: 'spend', good: 'SELECT campaign, AVG(spend) FROM ad_impressions GROUP BY campaign' },
  { code: 'missingAggregate', bad: 'SELECT campaign, region FROM ad_impressions GROUP BY campaign, region', at: 'SELECT', good: 'SELECT campaign, region, SUM(clicks) FROM ad_impressions GROUP BY campaign, region' },
  { code: 'functionNotAllowed', bad: 'SELECT UPPER(campaign), SUM(clicks) FROM ad_impressions GROUP BY 1', at: 'UPPER', good: 'SELECT LOWER(campaign), SUM(clicks) FROM ad_impressions GROUP BY 1' },
  {
    code: 'joinOperatorNotAllowed',
    bad: 'SELECT COUNT(DISTINCT i.hashed_email) FROM ad_impressions i JOIN purchases p ON i.hashed_email = p.hashed_email OR i.campaign = p.product',
    at: 'OR',
    good: "SELECT COUNT(DISTINCT i.hashed_email) FROM ad_impressions i JOIN purchases p ON i.hashed_email = p.hashed_email WHERE i.campaign = 'a' OR i.region = 'b'",
  },
  { code: 'joinRequired', bad: 'SELECT product, SUM(purchase_amount) FROM purchases GROUP BY product', at: 'purchases', good: 'SELECT p.product, SUM(p.purchase_amount) FROM purchases p JOIN ad_impressions i ON p.hashed_email = i.hashed_email GROUP BY p.product' },
];

describe('the pre-flight check: one finding per rule, and its near miss passes', () => {
  for (const c of CASES) {
    it(`${c.code}: flags "${c.at}" and passes the near miss`, async () => {
      const f = await only(c.bad, c.code, c.catalog);
      assert.equal(c.bad.slice(f.start, f.end), c.at);
      if (f.table) {
        assert.match(f.message, new RegExp(`^${f.table.replace(/[-]/g, '\\-')} \\((aggregation|list|custom) rule|no analysis rule\\)`));
      }
      await clean(c.good, c.catalog);
    });
  }

  it('messages cite the table and its rule', async () => {
    const f = await only('SELECT campaign, hashed_email, SUM(clicks) FROM ad_impressions GROUP BY campaign', 'forbiddenOutputColumn');
    assert.equal(f.message, 'ad_impressions (aggregation rule): hashed_email is a join column; it may appear only in JOIN ... ON.');
    const t = await only('SELECT score FROM model_scores', 'templatesOnly');
    assert.match(t.message, /analysistemplate\/scores-by-segment.*analysistemplate\/score-histogram/);
  });

  it('list queries: no functions, only list columns in the output, join columns only in ON', async () => {
    const sql = "SELECT UPPER(first_name), segment FROM customer_list WHERE hashed_email = 'x'";
    const check = await analyzeStatement(sql, catalog);
    assert.deepEqual(found(sql, check.findings), ['functionNotAllowed [UPPER]', 'forbiddenOutputColumn [segment]', 'joinColumnOutsideJoin [hashed_email]']);
  });

  it('custom rules: a disallowed column may be used but not output; SELECT * is flagged only when it would output one', async () => {
    await only('SELECT email, segment FROM crm_attributes', 'forbiddenOutputColumn');
    await clean("SELECT segment, COUNT(age) FROM crm_attributes WHERE email LIKE '%@example.com' GROUP BY segment ORDER BY email");
    // Documented: no reference "through transformation, aliasing, or other means" in the output (SELECT COUNT(age) FROM users is refused).
    await only('SELECT segment, COUNT(email) FROM crm_attributes GROUP BY segment', 'forbiddenOutputColumn');
    await only("SELECT LOWER(email) || '' AS e FROM crm_attributes", 'forbiddenOutputColumn');
    await only('SELECT * FROM crm_attributes', 'selectStar');
    await clean('SELECT * FROM dp_events');
  });

  it('quoted names resolve: "order" and "web-visits"', async () => {
    await clean('SELECT "order".order_date, SUM("total") FROM "order" GROUP BY 1');
    await clean('SELECT w.page, SUM(w.visits) FROM "web-visits" w JOIN ad_impressions i ON w.hashed_email = i.hashed_email GROUP BY w.page');
  });
});

describe('the pre-flight check: precision first', () => {
  it('typical Clean Rooms SQL parses and passes', async () => {
    await clean(
      `SELECT i.campaign, TRUNC(i.impression_date) AS day, COUNT(DISTINCT i.hashed_email) AS reach,
              ROUND(SUM(CAST(i.spend AS DECIMAL(10,2))), 2) AS spend, COALESCE(i.region, 'n/a') || '-x' AS region,
              CASE WHEN i.region IN ('us-east', 'us-west') THEN 'US' ELSE 'other' END AS area
       FROM ad_impressions i
       JOIN purchases p ON i.hashed_email = p.hashed_email AND i.campaign = p.product
       WHERE i.impression_date BETWEEN DATE '2024-07-01' AND DATE '2024-07-31' AND i.region IN ('a', 'b') AND i.campaign <> 'x'
       GROUP BY 1, 2, 5, 6
       HAVING COUNT(DISTINCT i.hashed_email) > 100
       ORDER BY 3 DESC
       LIMIT 50`,
    );
  });

  it('a statement the parser cannot read gives parsed false and no findings', async () => {
    for (const sql of ['SELECT campaign FROM ad_impressions WHERE', 'SELECT payload FROM raw_staging GROUP', 'SELEC 1']) {
      assert.deepEqual(await analyzeStatement(sql, catalog), { parsed: false, findings: [] });
    }
  });

  it('CTEs, subqueries, set operations and window functions get table findings only, never column guesses', async () => {
    await clean('WITH x AS (SELECT campaign, hashed_email FROM ad_impressions) SELECT * FROM x');
    await clean('SELECT campaign, COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY campaign UNION SELECT product, COUNT(DISTINCT hashed_email) FROM purchases GROUP BY product');
    await clean('SELECT campaign, SUM(clicks) OVER (PARTITION BY region) FROM ad_impressions');
    await clean('SELECT campaign, SUM(clicks) FROM ad_impressions WHERE campaign IN (SELECT product FROM purchases) GROUP BY campaign');
    await only('WITH x AS (SELECT payload FROM raw_staging) SELECT * FROM x', 'noAnalysisRule');
  });

  it('CASE inside an aggregate: undocumented, so no column finding either way', async () => {
    await clean("SELECT campaign, SUM(CASE WHEN region = 'x' THEN spend ELSE 0 END) FROM ad_impressions GROUP BY campaign");
    await clean("SELECT campaign, COUNT(DISTINCT CASE WHEN device_id = 'x' THEN hashed_email END) FROM ad_impressions GROUP BY campaign");
  });

  it('several statements: each is checked, offsets are in the whole text', async () => {
    const sql = 'SELECT campaign, SUM(clicks) FROM ad_impressions GROUP BY campaign;\nSELECT payload FROM raw_staging;';
    const check = await analyzeStatement(sql, catalog);
    assert.deepEqual(found(sql, check.findings), ['noAnalysisRule [raw_staging]']);
  });

  it('NOT_READY tables: the service decides, no finding', async () => {
    await clean('SELECT * FROM pending_uploads');
  });

  it('an unqualified column two tables have is ambiguous: no finding', async () => {
    await clean('SELECT COUNT(DISTINCT hashed_email) FROM customer_list c JOIN loyalty_members l ON c.hashed_email = l.hashed_email');
  });

  it('with an unknown table in scope, unqualified columns are not called unknown', async () => {
    const sql = 'SELECT whatever FROM ad_impressions i JOIN nowhere n ON i.hashed_email = n.hashed_email';
    const check = await analyzeStatement(sql, catalog);
    assert.deepEqual(found(sql, check.findings), ['unknownTable [nowhere]']);
  });

  it('OR in ON between a join condition and a filter is not called a join operator', async () => {
    const sql = "SELECT COUNT(DISTINCT i.hashed_email) FROM ad_impressions i JOIN purchases p ON i.hashed_email = p.hashed_email OR i.campaign = 'x'";
    const check = await analyzeStatement(sql, catalog);
    assert.ok(!check.findings.some((f) => f.code === 'joinOperatorNotAllowed'), JSON.stringify(found(sql, check.findings)));
  });

  it('template parameters (:name) parse', async () => {
    await clean('SELECT campaign, COUNT(DISTINCT hashed_email) FROM ad_impressions WHERE impression_date >= :since GROUP BY campaign');
  });
});

describe('the pre-flight check: reading the text the parser does not keep', () => {
  it(':name parameters are masked with their offsets kept, never inside strings, quoted names or comments, and :: stays a cast', () => {
    const sql = `SELECT a FROM t WHERE d >= :since::date AND s = ':not' AND "x:y" = 1 -- :no\nLIMIT :n`;
    const masked = maskParameters(sql);
    assert.equal(masked.length, sql.length);
    assert.equal(masked, `SELECT a FROM t WHERE d >= $1    ::date AND s = ':not' AND "x:y" = 1 -- :no\nLIMIT $1`);
  });

  it('parameters anywhere parse, and findings after them keep their offsets', async () => {
    const sql = 'SELECT campaign, spend FROM ad_impressions WHERE impression_date >= :since::date AND region = :r GROUP BY campaign LIMIT :n';
    const check = await analyzeStatement(sql, catalog);
    assert.deepEqual(found(sql, check.findings), ['missingAggregate [SELECT]', 'forbiddenOutputColumn [spend]']);
  });

  it('text with only comments is read and has nothing to say', async () => {
    assert.deepEqual(await analyzeStatement('-- nothing yet\n/* still nothing */', catalog), { parsed: true, findings: [] });
  });

  it('the OR a finding points at is the operator, not a word in a comment or a string', async () => {
    const sql = "SELECT COUNT(DISTINCT i.hashed_email) FROM ad_impressions i JOIN purchases p ON (i.hashed_email = p.hashed_email) /* or */ OR (i.campaign = p.product)";
    const f = await only(sql, 'joinOperatorNotAllowed');
    assert.equal(f.start, sql.lastIndexOf('OR'));
  });

  it('names in messages are as written; quoted names keep their spelling', async () => {
    const f = await only('SELECT Campagn, COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY 1', 'unknownColumn');
    assert.match(f.message, /no column Campagn in ad_impressions/);
    const q = await only('SELECT "Campagn", COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY 1', 'unknownColumn');
    assert.match(q.message, /no column Campagn in ad_impressions/);
    const t = await only('SELECT x FROM "Ad_Impresions"', 'unknownTable');
    assert.equal(t.message, 'Ad_Impresions: the collaboration has no such table.');
  });

  it('WHERE reads a column even when an output alias has its name; an item\'s own alias does not hide an unknown column', async () => {
    await only('SELECT campaign, SUM(spend) AS spend FROM ad_impressions WHERE spend > 100 GROUP BY campaign', 'columnNotAllowedHere');
    await only('SELECT campaign, SUM(clics) AS clics FROM ad_impressions GROUP BY campaign', 'unknownColumn');
    // GROUP BY / ORDER BY may name an output alias: no guess.
    await clean('SELECT campaign AS spend, SUM(clicks) AS n FROM ad_impressions GROUP BY spend ORDER BY spend');
  });

  it('MIN, MAX and other aggregates outside the rule are aggregateNotAllowed on an aggregation table', async () => {
    const f = await only('SELECT campaign, MAX(spend) FROM ad_impressions GROUP BY campaign', 'aggregateNotAllowed');
    assert.match(f.message, /MAX is not an aggregate function of the aggregation rule; on spend it allows SUM, AVG/);
  });

  it('a date part or type keyword as the first argument (DATEADD(day, ...), CONVERT(VARCHAR, ...)) is not an unknown column', async () => {
    const sql = 'SELECT DATEADD(day, 1, impression_date) AS d, CONVERT(VARCHAR, campaign) AS c, SUM(clicks) FROM ad_impressions GROUP BY 1, 2';
    const check = await analyzeStatement(sql, catalog);
    assert.deepEqual(found(sql, check.findings), ['functionNotAllowed [DATEADD]', 'functionNotAllowed [CONVERT]']);
    await clean('SELECT segment, DATEADD(month, -1, age) AS d FROM crm_attributes');
  });

  it('GROUP BY ROLLUP / CUBE (read as calls by the parser) are not functions: no guess', async () => {
    await clean('SELECT campaign, region, SUM(clicks) FROM ad_impressions GROUP BY ROLLUP(campaign, region)');
    await clean('SELECT campaign, region, SUM(clicks) FROM ad_impressions GROUP BY CUBE(campaign, region)');
  });

  it('a construct the walker does not model gives no column finding (parsed, table findings only)', async () => {
    await clean('SELECT campaign, SUM(clicks) FILTER (WHERE region = \'x\') FROM ad_impressions GROUP BY campaign');
    await clean('SELECT campaign, SUBSTRING(campaign FROM 1 FOR 2), SUM(clicks) FROM ad_impressions GROUP BY 1');
  });
});

describe('the pre-flight check: tables it cannot judge', () => {
  const COLLABORATION = testCatalog().collaborationId;
  /** The test tables, with `name`'s analysis rules as if BatchGetSchemaAnalysisRule had returned them in `errors`. */
  const withoutRules = (name: string): Catalog => catalogFrom(COLLABORATION, testTables().map((x) => (x.schema.name === name ? { ...x, rules: [] } : x)));

  it('a table whose rule could not be loaded is unchecked: no column or table findings from an empty rule', async () => {
    const missing = withoutRules('ad_impressions');
    const table = missing.table('ad_impressions');
    assert.equal(table?.kind, 'AGGREGATION');
    assert.equal(table?.ruleLoaded, false);
    assert.equal(testCatalog().table('ad_impressions')?.ruleLoaded, true);
    await clean('SELECT campaign, COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY campaign', missing);
    await clean('SELECT campaign, UPPER(region), SUM(clicks) FROM ad_impressions WHERE spend > 1 GROUP BY campaign, region', missing);
    await clean('SELECT product, SUM(purchase_amount) FROM purchases GROUP BY product', withoutRules('purchases'));
    await clean('SELECT score FROM model_scores', withoutRules('model_scores'));
    await clean('SELECT first_name, city FROM customer_list', withoutRules('customer_list'));
    // The other tables of the query are still checked.
    await only('SELECT c.first_name, c.hashed_email FROM customer_list c JOIN ad_impressions i ON c.hashed_email = i.hashed_email', 'forbiddenOutputColumn', missing);
  });

  it('a table ListSchemas listed but BatchGetSchema could not return is not called unknown', async () => {
    const unfetched = catalogFrom(
      COLLABORATION,
      testTables().filter((x) => x.schema.name !== 'ad_impressions'),
      ['ad_impressions'],
    );
    await clean('SELECT campaign, COUNT(DISTINCT hashed_email) FROM AD_IMPRESSIONS GROUP BY campaign', unfetched);
    await clean('SELECT i.whatever, p.product, SUM(p.purchase_amount) FROM ad_impressions i JOIN purchases p ON i.hashed_email = p.hashed_email GROUP BY p.product', unfetched);
    // A name that was never listed is still unknown.
    await only('SELECT x FROM ad_impresions', 'unknownTable', unfetched);
  });
});

describe('the pre-flight check: names from other accounts in messages, the run confirmation and hovers', () => {
  const FORGED = '\r\nCompute paid by: 999999999999';
  const hostileTable = `line1\u202Eevil${FORGED}${'x'.repeat(300)}`;
  const hostileColumn = `col\nRule: anything\u2066`;
  const renamed = (x: TableSchema, name: string): TableSchema => ({
    schema: { ...x.schema, name, columns: [...(x.schema.columns ?? []), { name: hostileColumn, type: 'string\u202E\ndate' }], description: `desc\u202E\n${'d'.repeat(20_000)}` },
    rules: x.rules.map((r) => ({ ...r, name })),
  });
  const base = testTables().find((x) => x.schema.name === 'ad_impressions');
  assert.ok(base);
  const hostile = catalogFrom('c', [renamed(base, hostileTable)]);
  const quoted = `"${hostileTable}"`;
  const unsafe = /[\r\n\u202A-\u202E\u2066-\u2069]/;

  it('finding messages show names on one line, with invisible and direction characters made visible, and short', async () => {
    const sql = `SELECT campaign, hashed_email, "${hostileColumn}", COUNT(DISTINCT hashed_email) FROM ${quoted} GROUP BY campaign`;
    const check = await analyzeStatement(sql, hostile);
    assert.equal(check.parsed, true);
    const codes = check.findings.map((f) => f.code);
    assert.deepEqual(codes, ['forbiddenOutputColumn', 'forbiddenOutputColumn'], JSON.stringify(found(sql, check.findings)));
    for (const f of check.findings) {
      assert.doesNotMatch(f.message, unsafe, f.message);
      assert.match(f.message, /^line1\\u\{202E\}evil\\u\{000D\} Compute paid by/);
      assert.ok(f.message.length < 400, `${f.message.length} characters`);
    }
    assert.match(check.findings[1].message, /col Rule: anything\\u\{2066\}/);
  });

  it('the run confirmation lists each warning on its own line: a name cannot add a line', () => {
    const lines = warningLines({ kind: 'checked', findings: [{ code: 'unknownColumn', message: `t (aggregation rule): x${FORGED}\u202E`, start: 0, end: 1 }] });
    assert.equal(lines.length, 2);
    for (const line of lines) {
      assert.doesNotMatch(line, unsafe, line);
    }
    assert.doesNotMatch(warningLines({ kind: 'notChecked', why: `no${FORGED}` }).join('\n'), /\r|\n/);
  });

  it('hovers show names, types and descriptions with direction characters made visible, and capped', () => {
    const sql = `SELECT "${hostileColumn}" FROM ${quoted}`;
    const texts = (offset: number): string[] => (hoverAt(sql, offset, hostile)?.parts ?? []).flatMap((p) => ('text' in p ? [p.text] : 'code' in p ? [p.code] : []));
    const table = texts(sql.indexOf('line1') + 1);
    const column = texts(sql.indexOf('col') + 1);
    assert.ok(table.length > 0 && column.length > 0);
    for (const part of [...table, ...column]) {
      assert.doesNotMatch(part, /[\u202A-\u202E\u2066-\u2069]/, part);
      assert.ok(part.length <= 2100, `${part.length} characters`);
    }
    assert.ok(table.some((p) => p.includes('\\u{202E}')));
  });
});

describe('the pre-flight check: quick fixes', () => {
  it('unknown table -> the closest name, double-quoted when it needs it', async () => {
    const sql = 'SELECT page, SUM(visits) FROM web_visits GROUP BY page';
    const fixed = applyFix(sql, await only(sql, 'unknownTable'));
    assert.equal(fixed, 'SELECT page, SUM(visits) FROM "web-visits" GROUP BY page');
    await clean(fixed);
  });

  it('unknown column -> the closest name; nothing when no name is close', async () => {
    const sql = 'SELECT campagn, COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY 1';
    assert.equal(applyFix(sql, await only(sql, 'unknownColumn')), 'SELECT campaign, COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY 1');
    const far = await only('SELECT zzzzzz, COUNT(DISTINCT hashed_email) FROM ad_impressions GROUP BY 1', 'unknownColumn');
    assert.equal(far.fix, undefined);
  });

  it('SELECT * -> the allowed output columns (list, custom; qualified by the alias)', async () => {
    const list = 'SELECT * FROM customer_list';
    assert.equal(applyFix(list, await only(list, 'selectStar')), 'SELECT first_name, city FROM customer_list');
    const joined = 'SELECT c.* FROM customer_list c JOIN loyalty_members l ON c.hashed_email = l.hashed_email';
    const fixed = applyFix(joined, await only(joined, 'selectStar'));
    assert.equal(fixed, 'SELECT c.first_name, c.city FROM customer_list c JOIN loyalty_members l ON c.hashed_email = l.hashed_email');
    await clean(fixed);
    const quotedAlias = 'SELECT "C".* FROM customer_list "C"';
    assert.equal(applyFix(quotedAlias, await only(quotedAlias, 'selectStar')), 'SELECT "C".first_name, "C".city FROM customer_list "C"');
    const custom = 'SELECT * FROM crm_attributes';
    assert.equal(applyFix(custom, await only(custom, 'selectStar')), 'SELECT hashed_email, segment, age FROM crm_attributes');
  });

  it('an aggregate column in the output -> wrapped in its allowed function', async () => {
    const sql = 'SELECT campaign, i.hashed_email FROM ad_impressions i GROUP BY campaign';
    const fixed = applyFix(sql, await only(sql, 'forbiddenOutputColumn'));
    assert.equal(fixed, 'SELECT campaign, COUNT(DISTINCT i.hashed_email) FROM ad_impressions i GROUP BY campaign');
    await clean(fixed);
  });

  it('OR between join conditions has no quick fix (AND would change which rows match)', async () => {
    const f = await only(CASES.find((c) => c.code === 'joinOperatorNotAllowed')?.bad ?? '', 'joinOperatorNotAllowed');
    assert.equal(f.fix, undefined);
  });
});

describe('the pre-flight check: speed', () => {
  it('an unchanged statement is not parsed again for the same catalog; a new catalog (a refresh) checks it afresh', async () => {
    const sql = 'SELECT campaign, spend FROM ad_impressions GROUP BY campaign';
    const first = await analyzeStatement(sql, catalog);
    assert.equal(await analyzeStatement(sql, catalog), first);
    const refreshed = testCatalog();
    const again = await analyzeStatement(sql, refreshed);
    assert.notEqual(again, first);
    assert.deepEqual(again, first);
  });

  it('a 200-line query against 100 tables x 200 columns (prints the figure)', async () => {
    const catalog100 = bigCatalog(100, 200);
    const lines = ['SELECT t0.c0,'];
    for (let i = 1; i < 180; i++) {
      const table = `t${i % 15}`;
      lines.push(i % 2 === 0 ? `  SUM(${table}.c${(i * 2 + 1) % 198}),` : `  ${table}.c${(i * 2) % 198},`);
    }
    // One output the rule forbids (an aggregate column outside its function): the column rules ran.
    lines.push('  t1.c1,', '  COUNT(DISTINCT t0.hashed_email)', 'FROM t0');
    for (let i = 1; i < 15; i++) {
      lines.push(`JOIN t${i} ON t0.hashed_email = t${i}.hashed_email`);
    }
    lines.push("WHERE t0.c2 = 'x'", 'GROUP BY 1', 'ORDER BY 1', 'LIMIT 1');
    const sql = lines.join('\n');
    assert.ok(lines.length >= 200, String(lines.length));
    // Warm up first: the editor checks the same document again and again, so the JIT-compiled parser is what users wait for.
    // Each run's text differs (a LIMIT), as after a keystroke, so no run is answered from the cache.
    for (let i = 0; i < 5; i++) {
      await analyzeStatement(`${sql}${i}`, catalog100);
    }
    const runs: number[] = [];
    let findings = 0;
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      findings = (await analyzeStatement(`${sql}${i + 100}`, catalog100)).findings.length;
      runs.push(performance.now() - start);
    }
    runs.sort((a, b) => a - b);
    console.log(`pre-flight: ${lines.length}-line query, 100 x 200 catalog: median ${runs[10].toFixed(1)} ms, p95 ${runs[18].toFixed(1)} ms, max ${runs[19].toFixed(1)} ms (${findings} finding)`);
    assert.equal(findings, 1, 'the column rules ran over the whole query');
  });
});

describe('names the parser cannot lex', () => {
  it('a quoted table name with a "*" (another account may name a table anything) is still checked, and named as written', async () => {
    const tables = testTables().map((t) =>
      t.schema.name === 'ad_impressions' ? { schema: { ...t.schema, name: 'ads*2024' }, rules: t.rules.map((r) => ({ ...r, name: 'ads*2024' })) } : t,
    );
    const starred = catalogFrom('collaboration', tables);
    const sql = 'SELECT a.hashed_email, COUNT(DISTINCT a.hashed_email) FROM "ads*2024" a';
    const check = await analyzeStatement(sql, starred);
    assert.equal(check.parsed, true);
    assert.deepEqual(found(sql, check.findings), ['forbiddenOutputColumn [a.hashed_email]']);
    assert.match(check.findings[0].message, /^ads\*2024 \(aggregation rule\)/);
    assert.equal(maskParameters(sql).length, sql.length, 'offsets kept');
  });
});
