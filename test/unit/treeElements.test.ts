import type { MembershipSummary } from '@aws-sdk/client-cleanrooms';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { CleanRoomsFailure } from '../../src/aws/errors';
import type { MembershipNode, MembershipState } from '../../src/model/membershipStore';
import { ContextValues, type TreeElement } from '../../src/views/treeElements';
import { treeRow, type RowSource } from '../../src/views/treeItems';
import { conformCollaborationAnalysisTemplateSummary, conformMemberSummary, conformProtectedQuerySummary } from '../../src/aws/conform';

// out/test/unit -> repository root.
const PACKAGE_JSON = path.resolve(__dirname, '..', '..', '..', 'package.json');

/** Every `when` clause anywhere in package.json's contributions. */
function whenClauses(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.flatMap(whenClauses);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => (k === 'when' && typeof v === 'string' ? [v] : whenClauses(v)));
  }
  return [];
}

/** The `viewItem` tests of a when clause: exact values, and regular expressions split into their alternatives. */
function viewItemTests(clause: string): Array<{ written: string; matches(value: string): boolean }> {
  const tests: Array<{ written: string; matches(value: string): boolean }> = [];
  for (const m of clause.matchAll(/viewItem\s*==\s*([A-Za-z0-9_]+)/g)) {
    tests.push({ written: m[0], matches: (v) => v === m[1] });
  }
  for (const m of clause.matchAll(/viewItem\s*=~\s*\/(.*?)\/(?=\s|$)/g)) {
    const alternation = /^(\^?)\(([^()]*)\)(\$?)$/.exec(m[1]);
    // Each alternative of /^(a|b)$/ must name something, so one typo cannot hide behind the others.
    const sources = alternation ? alternation[2].split('|').map((alt) => `${alternation[1]}${alt}${alternation[3]}`) : [m[1]];
    for (const source of sources) {
      const pattern = new RegExp(source);
      tests.push({ written: `${m[0]} (${source})`, matches: (v) => pattern.test(v) });
    }
  }
  return tests;
}

const FAILURE: CleanRoomsFailure = { kind: 'accessDenied', title: 'Access denied', nextStep: 'Ask.', retryable: false };
const KEY = 'k';
const CONNECTION = { profile: undefined, region: 'us-east-1', endpoint: undefined, timeoutMs: 1000 };

function node(state: MembershipState): MembershipNode {
  return { key: KEY, entry: { kind: 'membership', index: 0, id: 'id' }, request: { timeoutMs: 1000 }, state };
}

/** One element of every kind, membership rows in every state. */
function everyRow(): Array<{ element: TreeElement; source: RowSource }> {
  const states: MembershipState[] = [
    { status: 'pending' },
    { status: 'loaded', connection: CONNECTION, summary: { status: 'ACTIVE' } as MembershipSummary, fetchedAt: new Date(0) },
    { status: 'error', failure: FAILURE },
  ];
  const plain: TreeElement[] = [
    { type: 'group', connection: 'c', label: 'g', keys: [KEY] },
    { type: 'group', connection: 'c', label: 'g', keys: [KEY], failure: FAILURE },
    { type: 'sharedFailure', keys: [KEY], failure: FAILURE },
    { type: 'notice', text: 'n' },
    { type: 'problem', problem: { setting: 's', problem: 'p', fix: 'f' } },
    { type: 'invalidEntry', entry: { kind: 'invalid', index: 0, written: 'w', problem: 'p', fix: 'f' } },
    { type: 'branch', key: KEY, branch: 'collaboration' },
    { type: 'branch', key: KEY, branch: 'members' },
    { type: 'field', key: KEY, label: 'Name', value: 'v' },
    { type: 'record', key: KEY, branch: 'members', index: 0 },
    { type: 'loadMore', key: KEY, branch: 'members' },
    { type: 'message', key: KEY, branch: 'members', text: 'None' },
    { type: 'message', key: KEY, branch: 'members', text: 'x', failure: FAILURE },
    { type: 'branch', key: KEY, branch: 'tables' },
    { type: 'table', key: KEY, name: 't' },
    { type: 'column', key: KEY, table: 't', name: 'c' },
    { type: 'tableError', key: KEY, index: 0, text: 't: not loaded', detail: 'X' },
  ];
  const empty: RowSource = { node: () => undefined, record: () => conformMemberSummary({ displayName: 'a' }) };
  const query = (status: string): RowSource => ({ node: () => undefined, record: () => conformProtectedQuerySummary({ id: 'q', status }) });
  const queryRow: TreeElement = { type: 'record', key: KEY, branch: 'queries', index: 0 };
  return [
    ...states.map((state) => ({ element: { type: 'membership', key: KEY } as TreeElement, source: { ...empty, node: () => node(state) } })),
    ...plain.map((element) => ({ element, source: empty })),
    { element: { type: 'branch', key: KEY, branch: 'queries' }, source: empty },
    { element: queryRow, source: query('STARTED') },
    { element: queryRow, source: query('SUCCESS') },
    { element: { type: 'record', key: KEY, branch: 'templates', index: 0 }, source: { node: () => undefined, record: () => conformCollaborationAnalysisTemplateSummary({ name: 't', arn: 'arn:t' }) } },
  ];
}

describe('tree context values', () => {
  const values: readonly string[] = Object.values(ContextValues);

  it("every viewItem in package.json's when clauses names a context value of the set", () => {
    const pkg = JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8')) as { contributes: unknown };
    const tests = whenClauses(pkg.contributes).flatMap(viewItemTests);
    assert.ok(tests.length >= 10, `found the menus' viewItem clauses (${tests.length})`);
    for (const test of tests) {
      assert.ok(values.some((v) => test.matches(v)), `${test.written} matches none of ${values.join(', ')}`);
    }
  });

  it('every context value of the set is given to some row by the renderers', () => {
    const rendered = new Set<string | undefined>(everyRow().map(({ element, source }) => treeRow(element, source).contextValue));
    assert.deepEqual(values.filter((v) => !rendered.has(v)), []);
  });
});
