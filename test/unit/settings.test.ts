import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeIdProblem, extractMembershipId, MAX_MEMBERSHIPS, parseMembershipReference, parseSettings, type InvalidEntry, type MembershipEntry } from '../../src/settings';

const ID = '1f2e3d4c-5b6a-4789-8abc-0123456789ab';
const ID2 = '2f2e3d4c-5b6a-4789-8abc-0123456789ab';

describe('parseSettings', () => {
  it('accepts string and object entries in config order', () => {
    const s = parseSettings({ memberships: [ID, { id: ID2, label: 'Prod', profile: 'prod', region: 'eu-west-1' }] });
    assert.equal(s.entries.length, 2);
    const [a, b] = s.entries as MembershipEntry[];
    assert.deepEqual([a.kind, a.index, a.id, a.label], ['membership', 0, ID, undefined]);
    assert.deepEqual([b.index, b.id, b.label, b.profile, b.region], [1, ID2, 'Prod', 'prod', 'eu-west-1']);
    assert.deepEqual(s.problems, []);
  });

  it('keeps invalid entries in place with a reason and a fix, and still accepts the valid ones', () => {
    const s = parseSettings({
      memberships: [
        'not-a-uuid',
        ID,
        `arn:aws:cleanrooms:us-east-1:111122223333:membership/${ID2}`,
        ID.toUpperCase(),
        ` ${ID2} `,
        42,
        { label: 'no id' },
        { id: ID2, colour: 'red' },
        { id: ID2, region: 'moon' },
        { id: ID2, profile: 'has space' },
        null,
        '',
      ],
    });
    const kinds = s.entries.map((e) => e.kind);
    assert.deepEqual(kinds, ['invalid', 'membership', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid']);
    const invalid = s.entries.filter((e): e is InvalidEntry => e.kind === 'invalid');
    assert.match(invalid[0].problem, /lowercase UUID/);
    assert.match(invalid[1].problem, /ARN/);
    assert.match(invalid[2].problem, /lowercase/);
    assert.match(invalid[3].problem, /spaces/);
    assert.match(invalid[4].problem, /ID string or an object, found a number/);
    assert.match(invalid[5].problem, /no "id"/);
    assert.match(invalid[6].problem, /Unknown field "colour"/);
    assert.match(invalid[7].problem, /not a region code/);
    assert.match(invalid[8].problem, /not a valid profile name/);
    assert.match(invalid[9].problem, /found null/);
    assert.match(invalid[10].problem, /empty/);
    for (const e of invalid) {
      assert.ok(e.fix.length > 0, `entry ${e.index} has a fix`);
    }
  });

  it('flags duplicates but keeps the same ID under another profile', () => {
    const s = parseSettings({ memberships: [ID, ID, { id: ID, profile: 'other' }] });
    assert.deepEqual(
      s.entries.map((e) => e.kind),
      ['membership', 'invalid', 'membership'],
    );
    assert.match((s.entries[1] as InvalidEntry).problem, /Duplicate of entry 1/);
  });

  it('flags a duplicate that only the defaults reveal (same profile and region once applied)', () => {
    const s = parseSettings({ region: 'us-east-1', profile: 'team', memberships: [ID, { id: ID, region: 'us-east-1', profile: 'team' }, { id: ID, region: 'eu-west-2' }] });
    assert.deepEqual(
      s.entries.map((e) => e.kind),
      ['membership', 'invalid', 'membership'],
    );
    assert.match((s.entries[1] as InvalidEntry).problem, /Duplicate of entry 1/);
  });

  it('loads at most MAX_MEMBERSHIPS entries and says so', () => {
    const many = Array.from({ length: MAX_MEMBERSHIPS + 5 }, (_, i) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`);
    const s = parseSettings({ memberships: many });
    assert.equal(s.entries.length, MAX_MEMBERSHIPS);
    assert.ok(s.entries.every((e) => e.kind === 'membership'));
    assert.match(s.problems[0].problem, new RegExp(`lists ${MAX_MEMBERSHIPS + 5} entries; only the first ${MAX_MEMBERSHIPS}`));
  });

  it('reports a non-list memberships value instead of throwing', () => {
    const s = parseSettings({ memberships: { id: ID } });
    assert.deepEqual(s.entries, []);
    assert.equal(s.problems.length, 1);
    assert.match(s.problems[0].problem, /must be a list/);
  });

  it('validates scalar settings and falls back to defaults', () => {
    const s = parseSettings({ profile: 42, region: 'Mars', endpoint: 'ftp://x', requestTimeoutSeconds: -1 });
    assert.equal(s.profile, undefined);
    assert.equal(s.region, undefined);
    assert.equal(s.endpoint, undefined);
    assert.equal(s.requestTimeoutMs, 30_000);
    assert.equal(s.problems.length, 4);
    const ok = parseSettings({ profile: ' prod ', region: 'eu-west-1', endpoint: 'http://127.0.0.1:4599/', requestTimeoutSeconds: 5 });
    assert.deepEqual([ok.profile, ok.region, ok.endpoint, ok.requestTimeoutMs], ['prod', 'eu-west-1', 'http://127.0.0.1:4599', 5000]);
    assert.deepEqual(ok.problems, []);
  });

  it('cacheMaxAgeSeconds: 300 s by default, 0 allowed (always fetch first), anything else reported', () => {
    assert.equal(parseSettings({}).cacheMaxAgeMs, 300_000);
    assert.equal(parseSettings({ cacheMaxAgeSeconds: 0 }).cacheMaxAgeMs, 0);
    assert.equal(parseSettings({ cacheMaxAgeSeconds: 30 }).cacheMaxAgeMs, 30_000);
    for (const bad of [-1, 'soon', 86_401, Number.NaN]) {
      const s = parseSettings({ cacheMaxAgeSeconds: bad });
      assert.equal(s.cacheMaxAgeMs, 300_000, String(bad));
      assert.deepEqual(s.problems.map((p) => p.setting), ['cleanRooms.cacheMaxAgeSeconds'], String(bad));
    }
  });

  it('refuses an endpoint carrying credentials', () => {
    const s = parseSettings({ endpoint: 'https://user:pass@example.com' });
    assert.equal(s.endpoint, undefined);
    assert.match(s.problems[0].problem, /credentials/);
  });

  it('empty strings mean "not set"', () => {
    const s = parseSettings({ profile: '', region: '  ', endpoint: '' });
    assert.deepEqual([s.profile, s.region, s.endpoint, s.problems.length], [undefined, undefined, undefined, 0]);
  });
});

describe('membership ID helpers', () => {
  it('extracts IDs from ARNs and console URLs', () => {
    assert.equal(extractMembershipId(`arn:aws:cleanrooms:us-east-1:111122223333:membership/${ID}`), ID);
    assert.equal(extractMembershipId(`https://us-east-1.console.aws.amazon.com/cleanrooms/home#/memberships/${ID.toUpperCase()}`), ID);
    assert.equal(extractMembershipId('nothing here'), undefined);
  });

  it('reads a membership ARN by its resource type and keeps its region', () => {
    assert.deepEqual(parseMembershipReference(`arn:aws:cleanrooms:eu-west-1:111122223333:membership/${ID}`), { ok: true, id: ID, region: 'eu-west-1' });
    assert.deepEqual(parseMembershipReference(`  arn:aws-us-gov:cleanrooms:us-gov-west-1:111122223333:membership/${ID.toUpperCase()} `), { ok: true, id: ID, region: 'us-gov-west-1' });
    assert.deepEqual(parseMembershipReference(` ${ID} `), { ok: true, id: ID });
    // A trailing slash (copied along with the ARN) is not a further resource.
    assert.deepEqual(parseMembershipReference(`arn:aws:cleanrooms:eu-west-1:111122223333:membership/${ID}/`), { ok: true, id: ID, region: 'eu-west-1' });
    assert.deepEqual(parseMembershipReference(ID.toUpperCase()), { ok: true, id: ID });
  });

  it('rejects a collaboration ARN, other Clean Rooms resources and other services, naming what was pasted', () => {
    const problem = (text: string): string => {
      const r = parseMembershipReference(text);
      assert.ok(!r.ok, `${text} is refused`);
      return r.problem;
    };
    assert.match(problem(`arn:aws:cleanrooms:us-east-1:111122223333:collaboration/${ID2}`), /^That is a collaboration ARN; paste a membership ID or membership ARN\.$/);
    assert.match(problem(`arn:aws:cleanrooms:us-east-1:111122223333:configuredtable/${ID2}`), /configured table ARN/);
    assert.match(problem(`arn:aws:cleanrooms:us-east-1:111122223333:membership/${ID}/protectedquery/${ID2}`), /protected query ARN/);
    assert.match(problem(`arn:aws:cleanrooms:us-east-1:111122223333:membership/${ID}/configuredtableassociation/${ID2}`), /configured table association ARN/);
    assert.match(problem(`arn:aws:s3:::bucket/${ID}`), /ARN for s3, not AWS Clean Rooms/);
    assert.match(problem('arn:aws:cleanrooms:us-east-1:111122223333:membership/not-a-uuid'), /does not end in a membership ID/);
    assert.match(problem(`arn:aws:cleanrooms::111122223333:membership/${ID}`), /names no region/);
    assert.match(problem('arn:aws:cleanrooms'), /incomplete/);
    assert.match(problem('1234'), /lowercase UUID/);
    assert.match(problem('   '), /empty/);
    assert.equal(extractMembershipId(`arn:aws:cleanrooms:us-east-1:111122223333:collaboration/${ID2}`), undefined, 'a collaboration ID is never taken for a membership ID');
  });

  it('reads console links: the membership route, and the region from ?region= or the host', () => {
    assert.deepEqual(
      parseMembershipReference(`https://eu-west-1.console.aws.amazon.com/cleanrooms/home?region=eu-west-2#/memberships/${ID}?tab=members`),
      { ok: true, id: ID, region: 'eu-west-2' },
    );
    assert.deepEqual(parseMembershipReference(`https://ap-south-1.console.aws.amazon.com/cleanrooms/home#/memberships/${ID}`), { ok: true, id: ID, region: 'ap-south-1' });
    assert.deepEqual(parseMembershipReference(`https://console.aws.amazon.com/cleanrooms/home#/memberships/${ID}`), { ok: true, id: ID, region: undefined });
    const collab = parseMembershipReference(`https://us-east-1.console.aws.amazon.com/cleanrooms/home?region=us-east-1#/collaborations/${ID2}`);
    assert.ok(!collab.ok && /link to a collaboration/.test(collab.problem));
    const other = parseMembershipReference(`https://example.com/${ID}`);
    assert.ok(!other.ok && /does not name a membership/.test(other.problem));
  });

  it('explains what is wrong', () => {
    assert.equal(describeIdProblem(ID), undefined);
    assert.match(describeIdProblem('')!, /empty/);
    assert.match(describeIdProblem('1234')!, /lowercase UUID/);
  });
});

describe('discoverRegions setting', () => {
  it('keeps valid, unique region codes and reports the rest', () => {
    const s = parseSettings({ discoverRegions: ['us-east-1', 'eu-west-1', 'us-east-1', 'moon'] });
    assert.deepEqual(s.discoverRegions, ['us-east-1', 'eu-west-1']);
    assert.equal(s.problems.length, 1);
    assert.deepEqual(parseSettings({}).discoverRegions, []);
  });
});

describe('query settings', () => {
  it('default to the service defaults and confirming, with no problem for unset values', () => {
    // VS Code hands over the manifest defaults: "" for the worker type, null for the count.
    const s = parseSettings({ queryWorkerType: '', queryWorkerCount: null });
    assert.deepEqual(s.query, { workerType: undefined, workerCount: undefined, confirmBeforeRun: true, untrusted: false });
    assert.deepEqual(s.problems, []);
  });

  it('accept a worker type and a count in range', () => {
    const s = parseSettings({ queryWorkerType: 'CR.4X', queryWorkerCount: 400, queryConfirmBeforeRun: false });
    assert.deepEqual(s.query, { workerType: 'CR.4X', workerCount: 400, confirmBeforeRun: false, untrusted: false });
  });

  it('ignore a wrong worker type, a count out of range and a non-boolean confirmation, each with a problem', () => {
    const s = parseSettings({ queryWorkerType: 'CR.99X', queryWorkerCount: 401, queryConfirmBeforeRun: 'no' });
    assert.deepEqual(s.query, { workerType: undefined, workerCount: undefined, confirmBeforeRun: true, untrusted: false });
    assert.deepEqual(s.problems.map((p) => p.setting), ['cleanRooms.query.workerType', 'cleanRooms.query.workerCount', 'cleanRooms.query.confirmBeforeRun']);
    assert.equal(parseSettings({ queryWorkerCount: 2.5 }).problems.length, 1);
    assert.equal(parseSettings({ queryWorkerCount: 1 }).problems.length, 1);
  });

  it('read the S3 endpoint like the Clean Rooms endpoint: a URL without credentials, no trailing slash', () => {
    assert.equal(parseSettings({ s3Endpoint: 'http://127.0.0.1:4568/' }).s3Endpoint, 'http://127.0.0.1:4568');
    const bad = parseSettings({ s3Endpoint: 'http://user:pw@127.0.0.1:4568' });
    assert.equal(bad.s3Endpoint, undefined);
    assert.equal(bad.problems[0]?.setting, 'cleanRooms.s3Endpoint');
  });
});
