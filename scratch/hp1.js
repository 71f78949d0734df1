const { parse } = require('pgsql-ast-parser');
const sqls = [
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
 'SELECT "order".x FROM "order" WHERE d = $1',
 "SELECT event_type, SUM(value) AS total FROM dp_events WHERE event_time >= TIMESTAMP '2024-07-02 00:00:00' GROUP BY event_type",
 'SELECT CAST(impression_date AS VARCHAR) AS d, SUM(DISTINCT x), *, t.* FROM a',
 'SELECT campaign, SUM(clicks) OVER (PARTITION BY region) FROM ad_impressions',
 'SELECT a FROM x UNION SELECT b FROM y',
 'SELECT 1; SELECT 2;',
 'SELECT "C".* FROM customer_list "C"',
 'SELECT impression_date, CAST(SUM(impressions) AS DOUBLE) AS imps FROM ad_impressions',
 'SELECT x::int FROM t',
];
for (const s of sqls) { try { console.log(JSON.stringify(parse(s, { locationTracking: true })).slice(0, 3000)); } catch (e) { console.log('ERR', s.slice(0,60), e.message.slice(0, 300)); } console.log('---'); }
