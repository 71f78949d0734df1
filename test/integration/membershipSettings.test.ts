import * as assert from 'assert';
import * as vscode from 'vscode';
import type { MembershipPanel } from '../../src/views/membershipPanel';
import { FAULT_IDS, SAMPLE } from '../fakes/fixtures';
import { api, ONE_PANEL_PER_RECORD, setMemberships, suiteEndpoint, waitFor } from './helpers';
import { withScriptedUi } from './scriptedUi';

/** Issue 11, "Membership settings": UpdateMembership against the local endpoint, confirmed first. */
describe('Edit Membership Settings', () => {
  const own = suiteEndpoint(ONE_PANEL_PER_RECORD);
  const CTV = SAMPLE.ctvReach; // can receive results; query logging ENABLED, CSV default results

  const updates = (): unknown[] => own.endpoint.requests.filter((r) => r.operation === 'UpdateMembership').map((r) => r.body);

  async function membershipRow(id: string): Promise<{ type: 'membership'; key: string }> {
    const a = await setMemberships([id]);
    const node = a.store.all[0];
    assert.strictEqual(node.state.status, 'loaded');
    return { type: 'membership', key: node.key };
  }

  it('changes query logging: the fields offered show their current values, the confirmation shows the exact change, the row follows', async () => {
    const row = await membershipRow(CTV.id);
    own.endpoint.resetRequests();
    const { result, seen } = await withScriptedUi([{ pick: 'Query logging' }, { pick: 'Disabled' }, { button: 'Update Membership' }], () =>
      vscode.commands.executeCommand<boolean>('cleanRooms.editMembershipSettings', row),
    );
    assert.strictEqual(result, true);
    const fields = seen.picks[0].items;
    assert.deepStrictEqual(
      fields.map((i) => i.label),
      ['Query logging', 'Job logging', 'Default result configuration', 'Default job result configuration'],
      'a member who can receive results may change all four',
    );
    assert.strictEqual(fields[0].description, 'Enabled');
    assert.strictEqual(fields[2].description, 's3://ctv-reach-frequency/q3/reach=*/ · CSV · role arn:aws:iam::739275184620:role/service-role/CleanRoomsCTVResults');
    const confirm = seen.messages.find((m) => m.modal);
    assert.ok(confirm, 'a modal confirmation');
    assert.match(confirm.text, /Change the settings of your membership in /);
    assert.match(confirm.detail ?? '', /^Query logging: Enabled → Disabled$/m);
    assert.match(confirm.detail ?? '', /"queryLogStatus": "DISABLED"/);
    assert.deepStrictEqual(updates(), [{ queryLogStatus: 'DISABLED' }], 'the body sent is the one shown');
    const a = await api();
    const node = a.store.all[0];
    assert.ok(node.state.status === 'loaded' && node.state.membership?.queryLogStatus === 'DISABLED', 'the tree has the updated membership');
  });

  it('sets the default result configuration: bucket and role ARN are checked as typed; the body carries exactly the answers', async () => {
    const row = await membershipRow(CTV.id);
    own.endpoint.resetRequests();
    const { result, seen } = await withScriptedUi(
      [
        { pick: 'Default result configuration' },
        { type: 'new-results.bucket', invalid: ['Bad_Bucket', 'ab', '10.0.0.1'] },
        { type: 'reports/2026/' },
        { pick: 'Parquet' },
        { pick: 'A single file' },
        { type: 'arn:aws:iam::739275184620:role/ResultsWriter', invalid: ['arn:aws:iam::123:role/x', 'not-an-arn'] },
        { button: 'Update Membership' },
      ],
      () => vscode.commands.executeCommand<boolean>('cleanRooms.editMembershipSettings', row),
    );
    assert.strictEqual(result, true);
    assert.ok(seen.inputs[0].problems.every((p) => typeof p === 'string' && p.length > 0), 'each bad bucket name is explained');
    assert.ok(seen.inputs[2].problems.every((p) => typeof p === 'string' && /IAM role ARN/.test(p)), 'each bad role ARN is explained');
    const expected = {
      defaultResultConfiguration: {
        outputConfiguration: { s3: { bucket: 'new-results.bucket', keyPrefix: 'reports/2026/', resultFormat: 'PARQUET', singleFileOutput: true } },
        roleArn: 'arn:aws:iam::739275184620:role/ResultsWriter',
      },
    };
    assert.deepStrictEqual(updates(), [expected]);
    const detail = seen.messages.find((m) => m.modal)?.detail ?? '';
    assert.match(detail, /Default result configuration: s3:\/\/ctv-reach-frequency\/q3\/reach=\*\/ · CSV · .* → s3:\/\/new-results\.bucket\/reports\/2026\/ · PARQUET · single file · role arn:aws:iam::739275184620:role\/ResultsWriter/);
    assert.deepStrictEqual(JSON.parse(detail.slice(detail.indexOf('{'))), expected, 'the confirmation shows the request body');
  });

  it('cancelling the confirmation sends nothing', async () => {
    const row = await membershipRow(CTV.id);
    own.endpoint.resetRequests();
    const current = (await api()).store.all[0];
    const before = current.state.status === 'loaded' ? current.state.membership?.jobLogStatus : undefined;
    const { result } = await withScriptedUi([{ pick: 'Job logging' }, { pick: before === 'DISABLED' ? 'Enabled' : 'Disabled' }, { button: undefined }], () =>
      vscode.commands.executeCommand<boolean>('cleanRooms.editMembershipSettings', row),
    );
    assert.strictEqual(result, false);
    assert.deepStrictEqual(updates(), [], 'no UpdateMembership');
    assert.deepStrictEqual(
      own.endpoint.requests.map((r) => r.operation),
      ['GetMembership'],
      'only the current values were read',
    );
  });

  it('a conflict (another change under way) is said clearly, and nothing else changes', async () => {
    const row = await membershipRow(FAULT_IDS.queryConflict);
    own.endpoint.resetRequests();
    const { result, seen } = await withScriptedUi([{ pick: 'Query logging' }, { pick: 'Disabled' }, { button: 'Update Membership' }], () =>
      vscode.commands.executeCommand<boolean>('cleanRooms.editMembershipSettings', row),
    );
    assert.strictEqual(result, false);
    assert.strictEqual(updates().length, 1, 'sent once, not retried');
    const error = seen.messages.find((m) => m.kind === 'error');
    assert.ok(error, 'an error message');
    assert.match(error.text, /^Membership settings not changed: Changed at the same time elsewhere\. .*Refresh and try again\.$/);
  });

  it("the membership panel's Edit Settings… changes that panel's membership, and the panel shows the new value", async () => {
    const row = await membershipRow(CTV.id);
    const a = await api();
    const panel = (await vscode.commands.executeCommand('cleanRooms.openMembership', row)) as MembershipPanel;
    await waitFor('panel loaded', () => panel.lastMessage?.type === 'membership');
    const now = a.store.all[0];
    const before = now.state.status === 'loaded' ? now.state.membership?.queryLogStatus : undefined;
    const next = before === 'ENABLED' ? 'DISABLED' : 'ENABLED';
    own.endpoint.resetRequests();
    const { result } = await withScriptedUi([{ pick: 'Query logging' }, { pick: next === 'ENABLED' ? 'Enabled' : 'Disabled' }, { button: 'Update Membership' }], () =>
      vscode.commands.executeCommand<boolean>('cleanRooms.editMembershipSettings', panel.settingsTarget()),
    );
    assert.strictEqual(result, true);
    assert.deepStrictEqual(updates(), [{ queryLogStatus: next }]);
    await waitFor('panel refreshed with the new value', () => own.endpoint.requests.filter((r) => r.operation === 'GetMembership').length >= 2 && JSON.stringify(panel.lastMessage).includes(next === 'ENABLED' ? 'Enabled' : 'Disabled'));
  });

  it('a member who cannot receive results is not offered the result settings, and is told why', async () => {
    const row = await membershipRow(SAMPLE.travelSandbox.id); // CAN_QUERY only
    const { result, seen } = await withScriptedUi([{ pick: [] }], () => vscode.commands.executeCommand<boolean>('cleanRooms.editMembershipSettings', row));
    assert.strictEqual(result, false, 'nothing picked, nothing changed');
    const items = seen.picks[0].items;
    assert.deepStrictEqual(
      items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator).map((i) => i.label),
      ['Query logging', 'Job logging'],
    );
    assert.ok(items.some((i) => i.kind === vscode.QuickPickItemKind.Separator && /only for a member who can receive results/.test(i.label)));
  });
});
