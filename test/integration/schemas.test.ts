import * as assert from 'assert';
import * as vscode from 'vscode';
import type { TablePanel } from '../../src/views/tablePanel';
import type { TreeElement } from '../../src/views/treeElements';
import { RULES_TABLES, SCHEMA_MEMBERSHIP_IDS } from '../fakes/schemaFixtures';
import { api, setMemberships, suiteEndpoint, waitFor } from './helpers';

type Api = Awaited<ReturnType<typeof api>>;

describe('Tables: schemas and analysis rules in the tree and the table panel', () => {
  const own = suiteEndpoint({ 'workbench.editor.enablePreview': false });

  afterEach(async () => {
    (await api()).state.panels.tables.disposeAll();
  });

  async function tablesBranch(a: Api, membershipId: string): Promise<TreeElement> {
    const node = a.store.all.find((n) => n.entry.id === membershipId);
    assert.ok(node && node.state.status === 'loaded', 'membership loaded');
    const branch = a.tree.getChildren({ type: 'membership', key: node.key }).find((e) => e.type === 'branch' && e.branch === 'tables');
    assert.ok(branch, 'a Tables branch');
    return branch;
  }

  /** The rows of the Tables branch once loaded (the first look starts the load and says "Loading…"). */
  async function tableRows(a: Api, membershipId: string): Promise<TreeElement[]> {
    const branch = await tablesBranch(a, membershipId);
    return waitFor('Tables loaded', () => {
      const rows = a.tree.getChildren(branch);
      return rows.some((r) => r.type === 'message' && r.text === 'Loading…') ? undefined : rows;
    });
  }

  function row(a: Api, rows: readonly TreeElement[], name: string): { element: TreeElement; item: vscode.TreeItem } {
    const element = rows.find((r) => r.type === 'table' && r.name === name);
    assert.ok(element, `a row for ${name} among ${rows.map((r) => (r.type === 'table' ? r.name : r.type)).join(', ')}`);
    return { element, item: a.tree.getTreeItem(element) };
  }

  function tooltipText(item: vscode.TreeItem): string {
    return item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '');
  }

  it('lists every table of the rules collaboration with its rule type; NOT_READY says so, with its reasons', async () => {
    const a = await setMemberships([SCHEMA_MEMBERSHIP_IDS.rules]);
    own.endpoint.resetRequests();
    // A reconnect (e.g. a late profile-file event from an earlier suite) clears the cache and the
    // tree loads again: that is a legitimate second fetch, so count the clears.
    let clears = 0;
    const watching = a.state.schemas.onDidChange((key) => {
      if (key === '') clears++;
    });
    const rows = await tableRows(a, SCHEMA_MEMBERSHIP_IDS.rules).finally(() => watching.dispose());
    for (const name of Object.values(RULES_TABLES)) {
      row(a, rows, name);
    }
    assert.strictEqual(row(a, rows, RULES_TABLES.aggregation).item.description, 'Aggregation');
    assert.strictEqual(row(a, rows, RULES_TABLES.list).item.description, 'List');
    assert.strictEqual(row(a, rows, RULES_TABLES.custom).item.description, 'Custom');
    assert.strictEqual(row(a, rows, RULES_TABLES.templatesOnly).item.description, 'Custom, templates only');
    assert.strictEqual(row(a, rows, RULES_TABLES.differentialPrivacy).item.description, 'Differential privacy');
    // A table without a rule is also NOT_READY (the service says why).
    assert.match(String(row(a, rows, RULES_TABLES.noRule).item.description), /^No rule/);
    const notReady = row(a, rows, RULES_TABLES.notReady).item;
    assert.match(String(notReady.description), /Not ready$/);
    assert.strictEqual((notReady.iconPath as vscode.ThemeIcon).id, 'warning');
    const node = a.store.all[0];
    const collaborationId = node.state.status === 'loaded' ? (node.state.membership ?? node.state.summary)?.collaborationId : undefined;
    assert.ok(collaborationId);
    const schemas = a.state.schemas.get(node.request, collaborationId);
    assert.ok(schemas?.status === 'loaded');
    const reasons = schemas.schemas.catalog.table(RULES_TABLES.notReady, true)?.notReadyReasons ?? [];
    assert.ok(reasons.length > 0, 'the fixture gives reasons');
    // appendText escapes markdown characters with backslashes.
    const shown = tooltipText(notReady).replace(/\\(.)/g, '$1').replace(/&nbsp;/g, ' ');
    for (const reason of reasons) {
      assert.ok(shown.includes(reason), `${shown} names ${reason}`);
    }
    const ops = own.endpoint.requests.map((r) => r.operation);
    assert.strictEqual(ops.filter((o) => o === 'ListSchemas').length, 1 + clears, `listed once (and once more per clear: ${clears})`);
    assert.ok(ops.includes('BatchGetSchema') && ops.includes('BatchGetSchemaAnalysisRule'), ops.join(', '));
    assert.ok(own.endpoint.requests.every((r) => r.signed), 'every call signed');
  });

  it("a table expands to its columns, each with type and what the rule allows", async () => {
    const a = await setMemberships([SCHEMA_MEMBERSHIP_IDS.rules]);
    const rows = await tableRows(a, SCHEMA_MEMBERSHIP_IDS.rules);
    const { element } = row(a, rows, RULES_TABLES.aggregation);
    const columns = a.tree.getChildren(element);
    assert.ok(columns.length > 0);
    const described = columns.map((c) => [a.tree.getTreeItem(c).label, String(a.tree.getTreeItem(c).description)] as const);
    const email = described.find(([label]) => label === 'hashed_email');
    assert.ok(email, described.map(([l]) => l).join(', '));
    assert.match(email[1], / · join; aggregate: COUNT DISTINCT$/);
    const device = described.find(([label]) => label === 'device_id');
    assert.match(String(device?.[1]), / · aggregate: COUNT, COUNT DISTINCT$/);
    const day = described.find(([label]) => label === 'impression_date');
    assert.match(String(day?.[1]), / · partition key · dimension$/);
    assert.ok(described.some(([, d]) => /dimension/.test(d)), 'a dimension column');
    assert.ok(described.some(([, d]) => /aggregate: /.test(d)), 'an aggregate column');
  });

  it("the table panel shows the rule in words, the columns and the rule's JSON; Refresh in the tree fetches again", async () => {
    const a = await setMemberships([SCHEMA_MEMBERSHIP_IDS.rules]);
    const rows = await tableRows(a, SCHEMA_MEMBERSHIP_IDS.rules);
    const { element } = row(a, rows, RULES_TABLES.aggregation);
    const panel = (await vscode.commands.executeCommand('cleanRooms.openTable', element)) as TablePanel | undefined;
    assert.ok(panel, 'a table panel');
    const message = await waitFor('table drawn', () => (panel.lastRendered?.state === 'table' && panel.lastMessage.type === 'table' && panel.lastMessage.view ? panel.lastMessage : undefined));
    const view = message.view;
    assert.ok(view);
    assert.strictEqual(view.title, RULES_TABLES.aggregation);
    assert.strictEqual(view.rule[0], 'Queries must aggregate: COUNT DISTINCT of hashed_email; SUM or AVG of impressions; SUM or AVG of spend; COUNT or COUNT DISTINCT of device_id.');
    assert.ok(view.rule.includes('Rows where fewer than 2 distinct hashed_email are suppressed.'), view.rule.join('\n'));
    assert.match(view.rule.join('\n'), /Join only on: .*hashed_email/);
    assert.ok(view.sections.some((s) => s.rows.some((r) => r.label === 'hashed_email')));
    assert.strictEqual((JSON.parse(view.ruleJson) as Array<{ type: string }>)[0].type, 'AGGREGATION');

    own.endpoint.resetRequests();
    await vscode.commands.executeCommand('cleanRooms.refresh');
    await tableRows(a, SCHEMA_MEMBERSHIP_IDS.rules);
    assert.strictEqual(own.endpoint.requests.filter((r) => r.operation === 'ListSchemas').length, 1, 'Refresh fetched the schemas again');
  });

  it('the table panel fetches again after a Refresh on its own, without the tree asking', async () => {
    const a = await setMemberships([SCHEMA_MEMBERSHIP_IDS.rules]);
    const rows = await tableRows(a, SCHEMA_MEMBERSHIP_IDS.rules);
    const { element } = row(a, rows, RULES_TABLES.aggregation);
    const panel = (await vscode.commands.executeCommand('cleanRooms.openTable', element)) as TablePanel | undefined;
    assert.ok(panel, 'a table panel');
    const drawnAt = (): string | undefined => (panel.lastMessage.type === 'table' && panel.lastMessage.view && !panel.lastMessage.refreshing ? panel.lastMessage.fetchedAt : undefined);
    const first = await waitFor('table drawn', drawnAt);
    own.endpoint.resetRequests();
    // What Refresh does to the schemas; the tree's Tables branch is not asked for its rows here.
    a.state.schemas.clear();
    await waitFor('the table drawn from a new fetch', () => {
      const at = drawnAt();
      return at !== undefined && at !== first;
    });
    assert.strictEqual(own.endpoint.requests.filter((r) => r.operation === 'ListSchemas').length, 1, 'fetched once');
  });

  it('hostile table names and descriptions stay text in the tree and the panel', async () => {
    const a = await setMemberships([SCHEMA_MEMBERSHIP_IDS.hostile]);
    const rows = await tableRows(a, SCHEMA_MEMBERSHIP_IDS.hostile);
    const tables = rows.filter((r): r is Extract<TreeElement, { type: 'table' }> => r.type === 'table');
    assert.ok(tables.length > 0);
    for (const t of tables) {
      const item = a.tree.getTreeItem(t);
      assert.ok(item.tooltip instanceof vscode.MarkdownString);
      assert.notStrictEqual(item.tooltip.isTrusted, true);
      assert.strictEqual(item.tooltip.supportHtml, false);
    }
    const panel = (await vscode.commands.executeCommand('cleanRooms.openTable', tables[0])) as TablePanel | undefined;
    assert.ok(panel);
    const message = await waitFor('table drawn', () => (panel.lastRendered?.state === 'table' && panel.lastMessage.type === 'table' && panel.lastMessage.view ? panel.lastMessage : undefined));
    assert.strictEqual(message.title, tables[0].name, 'the name as sent');
  });
});
