// The authoring budgets of issue 12, inside the real extension host: completion and the pre-flight
// check on a 200-line query against a collaboration of 100 tables x 200 columns, and the API calls
// made while typing. Figures go into the bench's results; test/bench.mjs judges them.
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import type { CleanRoomsApi } from '../../src/extension';
import { analyzeStatement } from '../../src/sql/analyze';
import type { CleanRoomsEndpoint } from '../fakes/cleanRoomsEndpoint';
import { SCHEMA_MEMBERSHIP_IDS } from '../fakes/schemaFixtures';
import { waitFor } from './queries';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Polls every 10 ms: nothing measured runs while it waits. */
const until = <T>(what: string, probe: () => T | undefined | false, timeoutMs = 60_000): Promise<T> => waitFor(what, probe, timeoutMs, 10);

function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

const table = (t: number): string => `bench_table_${String(t).padStart(3, '0')}`;
const col = (c: number): string => `col_${String(c).padStart(3, '0')}`;

/**
 * A 200-line query the rules allow: 12 tables joined on their join column, dimensions selected,
 * filtered and grouped, measures summed and averaged. `marker` varies a literal so the analyzer's
 * cache of recent statements cannot answer a repeated measurement.
 */
export function benchQuery(marker: number): string {
  const tables = 12;
  const lines: string[] = ['SELECT'];
  const dims: string[] = [];
  for (let i = 0; i < 40; i++) {
    dims.push(`t${i % tables}.${col(1 + (i % 40))}`);
  }
  for (const d of dims) {
    lines.push(`  ${d},`);
  }
  lines.push('  COUNT(DISTINCT t0.hashed_email) AS reach,');
  // 73 measures: the query is 200 lines in all.
  for (let i = 0; i < 73; i++) {
    const fn = i % 2 === 0 ? 'SUM' : 'AVG';
    lines.push(`  ${fn}(t${i % tables}.${col(41 + (i % 150))}) AS m_${i}${i === 72 ? '' : ','}`);
  }
  lines.push(`FROM ${table(0)} t0`);
  for (let t = 1; t < tables; t++) {
    lines.push(`JOIN ${table(t)} t${t}`);
    lines.push(`  ON t0.hashed_email = t${t}.hashed_email`);
  }
  lines.push(`WHERE t0.${col(1)} = 'segment-${marker}'`);
  for (let i = 0; i < 20; i++) {
    lines.push(`  AND t${i % tables}.${col(2 + i)} <> 'x${i}'`);
  }
  lines.push('GROUP BY');
  dims.forEach((d, i) => lines.push(`  ${d}${i === dims.length - 1 ? '' : ','}`));
  return lines.join('\n');
}

export async function benchAuthoring(api: CleanRoomsApi, endpoint: CleanRoomsEndpoint, results: Record<string, number>): Promise<void> {
  const config = vscode.workspace.getConfiguration('cleanRooms');
  const membershipId = SCHEMA_MEMBERSHIP_IDS.bench;
  await config.update('memberships', [membershipId], vscode.ConfigurationTarget.Workspace);
  await api.store.whenIdle();
  const node = await until('the bench membership loaded', () => api.store.all.find((n) => n.state.status === 'loaded' && n.entry.id === membershipId));
  const collaborationId = node.state.status === 'loaded' ? node.state.membership?.collaborationId : undefined;
  if (!collaborationId) {
    throw new Error('bench: the bench membership has no collaboration ID');
  }

  const query = benchQuery(0);
  const queryLines = query.split('\n').length;
  results.authoringQueryLines = queryLines;
  const text = `-- @membership ${membershipId}\n${query};\n`;
  const document = await vscode.workspace.openTextDocument({ language: 'sql', content: text });
  const editor = await vscode.window.showTextDocument(document);

  // The document's first look loads the schemas once (ListSchemas + the batch calls).
  const t0 = performance.now();
  const state = await until('the schemas loaded', () => {
    const s = api.state.schemas.get(node.request, collaborationId);
    return s?.status === 'loaded' ? s : undefined;
  });
  results.authoringSchemaLoadMs = performance.now() - t0;
  results.authoringTables = state.schemas.catalog.tables.length;
  results.authoringColumns = state.schemas.catalog.tables.reduce((n, t) => n + t.columns.length, 0);

  // Pre-flight: the analyzer on the 200-line statement. The first call loads the parser.
  const catalog = state.schemas.catalog;
  const p0 = performance.now();
  const first = await analyzeStatement(benchQuery(1), catalog);
  results.preflightFirstMs = performance.now() - p0;
  if (!first.parsed) {
    throw new Error('bench: the 200-line query did not parse');
  }
  results.preflightFindings = first.findings.length;
  // A few more before measuring, as when someone has been typing for a moment (the JIT warms up).
  for (let i = 0; i < 5; i++) {
    await analyzeStatement(benchQuery(50 + i), catalog);
  }
  const preflight: number[] = [];
  for (let i = 0; i < 40; i++) {
    const sql = benchQuery(100 + i);
    const s = performance.now();
    await analyzeStatement(sql, catalog);
    preflight.push(performance.now() - s);
  }
  results.preflightMedianMs = percentile(preflight, 50);
  results.preflightP95Ms = percentile(preflight, 95);

  // Completion at three kinds of place: after FROM (100 tables), after an alias's dot (200
  // columns), and in the select list (columns, aggregates and functions).
  const lineOf = (needle: string): number => document.getText().split('\n').findIndex((l) => l.includes(needle));
  const joinLine = lineOf(`JOIN ${table(5)} t5`);
  await editor.edit((e) => {
    e.insert(new vscode.Position(2, 0), '  t5.\n');
    e.insert(new vscode.Position(joinLine, 0), 'JOIN \n');
  });
  const lines = document.getText().split('\n');
  const positions = [
    new vscode.Position(lines.indexOf('  t5.'), '  t5.'.length),
    new vscode.Position(lines.indexOf('JOIN '), 'JOIN '.length),
    new vscode.Position(lines.indexOf('  t5.') + 1, 2),
  ];
  if (positions.some((p) => p.line < 0)) {
    throw new Error('bench: the completion places were not found');
  }
  const completion: number[] = [];
  const counts: number[] = [0, 0, 0];
  for (let i = 0; i < 60; i++) {
    const k = i % positions.length;
    const s = performance.now();
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, positions[k]);
    completion.push(performance.now() - s);
    counts[k] = list.items.length;
  }
  results.completionMedianMs = percentile(completion, 50);
  results.completionP95Ms = percentile(completion, 95);
  results.completionItemsAfterDot = counts[0];
  results.completionItemsAfterJoin = counts[1];

  // Typing 50 characters, with completion asked after each: no API call at all.
  endpoint.resetRequests();
  const typed = "  AND t3.col_005 <> 'typed while measuring' -- ok";
  const at = new vscode.Position(document.lineCount - 2, document.lineAt(document.lineCount - 2).text.length);
  editor.selection = new vscode.Selection(at, at);
  for (const ch of typed.padEnd(50, ' ').slice(0, 50)) {
    await vscode.commands.executeCommand('type', { text: ch });
    await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', document.uri, editor.selection.active);
  }
  await sleep(600); // the debounced pre-flight of the last keystroke
  results.apiCallsWhileTyping = endpoint.requests.length;
  results.charactersTyped = 50;

  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}
