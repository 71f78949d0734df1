import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConnection } from '../../src/aws/clientFactory';
import { ProfileFiles } from '../../src/aws/profiles';
import { unresolvedConnection } from '../../src/aws/unresolvedConnection';
import { PROFILES, applyAwsEnv, createAwsHome, type AwsHome } from '../fakes/awsHome';

describe('unresolvedConnection (the status bar at activation, before the profile files)', () => {
  let home: AwsHome;
  let restoreEnv: () => void;
  before(() => {
    home = createAwsHome();
    // ProfileFiles reads the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name.
    restoreEnv = applyAwsEnv(home.env);
  });
  after(() => {
    restoreEnv();
    home.cleanup();
  });

  const cases: Array<[string, { profile?: string; region?: string }, NodeJS.ProcessEnv]> = [
    ['nothing set', {}, {}],
    ['profile setting', { profile: PROFILES.eu }, {}],
    ['AWS_PROFILE', {}, { AWS_PROFILE: ` ${PROFILES.eu} ` }],
    ['region setting over AWS_REGION', { profile: PROFILES.test, region: 'us-west-2' }, { AWS_REGION: 'ap-northeast-1' }],
    ['AWS_REGION over the profile', { profile: PROFILES.eu }, { AWS_REGION: 'ap-northeast-1' }],
    ['AWS_DEFAULT_REGION', { profile: PROFILES.test }, { AWS_DEFAULT_REGION: 'eu-central-1' }],
    ['environment keys, no profile', { region: 'us-east-1' }, { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' }],
  ];

  for (const [name, request, env] of cases) {
    it(`agrees with resolveConnection: ${name}`, async () => {
      const early = unresolvedConnection(request, env);
      const resolved = await resolveConnection({ ...request, timeoutMs: 1 }, new ProfileFiles(), { ...home.env, ...env });
      assert.ok(resolved.ok, JSON.stringify(resolved));
      assert.equal(early.profile, resolved.connection.profile);
      // Only the profile's own region is left for later.
      assert.equal(early.region ?? (await new ProfileFiles().regionOf(early.profile ?? '')), resolved.connection.region);
    });
  }

  it('leaves the region open when only the profile can tell', () => {
    assert.deepEqual(unresolvedConnection({ profile: PROFILES.eu }, {}), { profile: PROFILES.eu, region: undefined });
    assert.deepEqual(unresolvedConnection({}, {}), { profile: 'default', region: undefined });
  });
});
