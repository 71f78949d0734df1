/**
 * A throwaway AWS "home" (~/.aws/config, ~/.aws/credentials, SSO token cache and a
 * credential_process script) for tests. Nothing here touches the network.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { TEST_CREDENTIALS, TEST_SESSION_CREDENTIALS } from './fixtures';

export const PROFILES = {
  /** Static TEST_CREDENTIALS (credentials file), region us-east-1 (or opts.region). */
  test: 'cleanrooms-test',
  /** TEST_SESSION_CREDENTIALS (with aws_session_token). */
  session: 'cleanrooms-session',
  /** Same keys as `test`, region eu-west-1. */
  eu: 'cleanrooms-eu',
  /** Keys, no region anywhere. */
  noRegion: 'no-region',
  /** credential_process printing Version 1 JSON with TEST_CREDENTIALS. */
  processOk: 'process-ok',
  /** credential_process exiting 1 with stderr "token revoked". */
  processFails: 'process-fails',
  /** sso_session profile whose cached token expired (no refresh token, so no network). */
  expiredSso: 'expired-sso',
  /** TEST_CREDENTIALS' key id with a wrong secret (endpoint answers InvalidSignatureException). */
  wrongSecret: 'wrong-secret',
  /** An access key the endpoint does not know (UnrecognizedClientException). */
  unknownKey: 'unknown-key',
  /** Same as `test`. */
  default: 'default',
} as const;

export const SSO_SESSION_NAME = 'corp';
export const SSO_START_URL = 'https://d-9067c1a2b3.awsapps.com/start';
export const SSO_ACCOUNT_ID = '739275184620';
export const SSO_ROLE_NAME = 'CleanRoomsReadOnly';
export const PROCESS_FAILS_STDERR = 'token revoked';

/** File beside the credential_process script that gets one line per run of it. */
const CREDENTIAL_PROCESS_RUNS = 'credential-process.runs';

/** How often the credential_process of `process-ok` / `process-fails` ran in this AWS home. */
export function credentialProcessRuns(home: string): number {
  try {
    return fs.readFileSync(path.join(home, 'bin', CREDENTIAL_PROCESS_RUNS), 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

/** Environment variables that would change how the SDK resolves credentials/region/endpoint. */
export const AWS_ENV_VARS_TO_CLEAR = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_ACCOUNT_ID',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_CLEANROOMS',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_USE_FIPS_ENDPOINT',
  'AWS_USE_DUALSTACK_ENDPOINT',
  'AWS_MAX_ATTEMPTS',
  'AWS_RETRY_MODE',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE',
  'AWS_LOGIN_CACHE_DIRECTORY',
];

export interface AwsHome {
  home: string;
  configFile: string;
  credentialsFile: string;
  /** HOME, USERPROFILE, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_EC2_METADATA_DISABLED=true. */
  env: Record<string, string>;
  /** The SSO token cache file of `expired-sso`. */
  ssoTokenFile: string;
  cleanup(): void;
}

function q(s: string): string {
  return `"${s.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** A shell command line that runs `script` with Node (also from inside Electron / VS Code). */
function nodeCommand(script: string, args: string[]): string {
  const parts = [q(process.execPath), q(script), ...args.map(q)];
  if (process.versions.electron && process.platform !== 'win32') {
    return `ELECTRON_RUN_AS_NODE=1 ${parts.join(' ')}`;
  }
  return parts.join(' ');
}

const CREDENTIAL_PROCESS_SCRIPT = `'use strict';
// Written by test/fakes/awsHome.ts: a credential_process for the local Clean Rooms endpoint.
const mode = process.argv[2];
// One line per run, so a test can tell a new SDK client (which resolves credentials) from a cached one.
require('fs').appendFileSync(require('path').join(__dirname, ${JSON.stringify(CREDENTIAL_PROCESS_RUNS)}), mode + '\\n');
if (mode === 'ok') {
  process.stdout.write(JSON.stringify({
    Version: 1,
    AccessKeyId: ${JSON.stringify(TEST_CREDENTIALS.accessKeyId)},
    SecretAccessKey: ${JSON.stringify(TEST_CREDENTIALS.secretAccessKey)},
    Expiration: new Date(Date.now() + 3600 * 1000).toISOString(),
  }) + '\\n');
  process.exit(0);
}
process.stderr.write(${JSON.stringify(PROCESS_FAILS_STDERR)} + '\\n');
process.exit(1);
`;

export function createAwsHome(opts: { region?: string } = {}): AwsHome {
  const region = opts.region ?? 'us-east-1';
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cleanrooms-aws-home-'));
  const awsDir = path.join(home, '.aws');
  const cacheDir = path.join(awsDir, 'sso', 'cache');
  const binDir = path.join(home, 'bin');
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.mkdirSync(binDir, { recursive: true });

  const script = path.join(binDir, 'credential-process.js');
  fs.writeFileSync(script, CREDENTIAL_PROCESS_SCRIPT, { mode: 0o700 });

  const configFile = path.join(awsDir, 'config');
  const credentialsFile = path.join(awsDir, 'credentials');

  const config = [
    '# Generated by test/fakes/awsHome.ts',
    '[default]',
    `region = ${region}`,
    '',
    `[profile ${PROFILES.test}]`,
    `region = ${region}`,
    '',
    `[profile ${PROFILES.session}]`,
    `region = ${region}`,
    '',
    `[profile ${PROFILES.eu}]`,
    'region = eu-west-1',
    '',
    `[profile ${PROFILES.processOk}]`,
    `region = ${region}`,
    `credential_process = ${nodeCommand(script, ['ok'])}`,
    '',
    `[profile ${PROFILES.processFails}]`,
    `region = ${region}`,
    `credential_process = ${nodeCommand(script, ['fail'])}`,
    '',
    `[profile ${PROFILES.expiredSso}]`,
    `sso_session = ${SSO_SESSION_NAME}`,
    `sso_account_id = ${SSO_ACCOUNT_ID}`,
    `sso_role_name = ${SSO_ROLE_NAME}`,
    `region = ${region}`,
    '',
    `[profile ${PROFILES.wrongSecret}]`,
    `region = ${region}`,
    '',
    `[profile ${PROFILES.unknownKey}]`,
    `region = ${region}`,
    '',
    `[sso-session ${SSO_SESSION_NAME}]`,
    `sso_start_url = ${SSO_START_URL}`,
    'sso_region = us-east-1',
    'sso_registration_scopes = sso:account:access',
    '',
  ].join('\n');

  const keys = (c: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): string[] => [
    `aws_access_key_id = ${c.accessKeyId}`,
    `aws_secret_access_key = ${c.secretAccessKey}`,
    ...(c.sessionToken ? [`aws_session_token = ${c.sessionToken}`] : []),
  ];
  const credentials = [
    '# Generated by test/fakes/awsHome.ts',
    '[default]',
    ...keys(TEST_CREDENTIALS),
    '',
    `[${PROFILES.test}]`,
    ...keys(TEST_CREDENTIALS),
    '',
    `[${PROFILES.session}]`,
    ...keys(TEST_SESSION_CREDENTIALS),
    '',
    `[${PROFILES.eu}]`,
    ...keys(TEST_CREDENTIALS),
    '',
    `[${PROFILES.noRegion}]`,
    ...keys(TEST_CREDENTIALS),
    '',
    `[${PROFILES.wrongSecret}]`,
    ...keys({ accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'this/is/not/the/right/secret/key/000000' }),
    '',
    `[${PROFILES.unknownKey}]`,
    ...keys({ accessKeyId: 'AKIDUNKNOWNTOENDPOINT', secretAccessKey: 'unknown/secret/key/000000000000000000000' }),
    '',
  ].join('\n');

  fs.writeFileSync(configFile, config, { mode: 0o600 });
  fs.writeFileSync(credentialsFile, credentials, { mode: 0o600 });

  // Same file name the SDK computes: sha1(sso-session name) (@smithy/core/config getSSOTokenFilepath).
  const ssoTokenFile = path.join(cacheDir, `${createHash('sha1').update(SSO_SESSION_NAME).digest('hex')}.json`);
  const expired = new Date(Date.now() - 6 * 3600 * 1000);
  fs.writeFileSync(
    ssoTokenFile,
    JSON.stringify(
      {
        startUrl: SSO_START_URL,
        region: 'us-east-1',
        accessToken: 'aoaAAAAAGexpiredCleanRoomsTestAccessToken',
        expiresAt: expired.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        // No clientId/clientSecret/refreshToken: the SDK must not try to refresh over the network.
      },
      null,
      2,
    ),
    { mode: 0o600 },
  );

  const env: Record<string, string> = {
    HOME: home,
    USERPROFILE: home,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_EC2_METADATA_DISABLED: 'true',
  };

  let cleaned = false;
  return {
    home,
    configFile,
    credentialsFile,
    env,
    ssoTokenFile,
    cleanup(): void {
      if (cleaned) return;
      cleaned = true;
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * Applies `env` to process.env, removes AWS_ENV_VARS_TO_CLEAR, and returns a function that puts
 * process.env back exactly as it was (for those keys).
 */
export function applyAwsEnv(env: Record<string, string>): () => void {
  const keys = new Set([...Object.keys(env), ...AWS_ENV_VARS_TO_CLEAR]);
  const saved = new Map<string, string | undefined>();
  for (const k of keys) saved.set(k, process.env[k]);
  for (const k of AWS_ENV_VARS_TO_CLEAR) delete process.env[k];
  for (const [k, v] of Object.entries(env)) process.env[k] = v;
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
