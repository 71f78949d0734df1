/**
 * Seed data for the local Clean Rooms endpoint, in WIRE format (restJson1 as the real service sends
 * it: timestamps are epoch seconds, unions are single-key objects). Shapes follow
 * botocore cleanrooms/2022-02-17/service-2.json and @aws-sdk/client-cleanrooms 3.1048.0.
 *
 * Enum-typed fields are typed `string` on purpose: the hostile fixtures put arbitrary text there.
 */
import { createHash } from 'node:crypto';

// ---------------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------------

export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIDCLEANROOMSTEST01',
  secretAccessKey: 'cleanrooms/test/secret/key/000000000000',
} as const;

export const TEST_SESSION_CREDENTIALS = {
  accessKeyId: 'ASIACLEANROOMSTEST02',
  secretAccessKey: 'cleanrooms/test/session/secret/11111111',
  sessionToken: 'IQoJb3JpZ2luX2VjEClEANROOMSTESTSESSIONTOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQDtest=',
} as const;

/** The credentials the endpoint accepts unless told otherwise. */
export const DEFAULT_ACCEPTED_CREDENTIALS: TestCredentials[] = [
  { ...TEST_CREDENTIALS },
  { ...TEST_SESSION_CREDENTIALS },
];

// ---------------------------------------------------------------------------------------------
// Wire shapes
// ---------------------------------------------------------------------------------------------

export interface WireIsResponsible {
  isResponsible: boolean;
}

export interface WirePaymentConfiguration {
  queryCompute: WireIsResponsible;
  machineLearning?: {
    modelTraining?: WireIsResponsible;
    modelInference?: WireIsResponsible;
    syntheticDataGeneration?: WireIsResponsible;
  };
  jobCompute?: WireIsResponsible;
}

export interface WireMLMemberAbilities {
  customMLMemberAbilities: string[];
}

export interface WireMembership {
  id: string;
  arn: string;
  collaborationArn: string;
  collaborationId: string;
  collaborationCreatorAccountId: string;
  collaborationCreatorDisplayName: string;
  collaborationName: string;
  createTime: number;
  updateTime: number;
  status: string;
  memberAbilities: string[];
  mlMemberAbilities?: WireMLMemberAbilities;
  queryLogStatus: string;
  jobLogStatus?: string;
  defaultResultConfiguration?: {
    /** A union: normally `{ s3: {...} }`; the fixtures also use unknown members. */
    outputConfiguration: {
      s3?: { resultFormat: string; bucket: string; keyPrefix?: string; singleFileOutput?: boolean };
      [unknownMember: string]: unknown;
    };
    roleArn?: string;
  };
  defaultJobResultConfiguration?: {
    outputConfiguration: { s3?: { bucket: string; keyPrefix?: string }; [unknownMember: string]: unknown };
    roleArn: string;
  };
  paymentConfiguration: WirePaymentConfiguration;
  isMetricsEnabled?: boolean;
}

export interface WireMembershipSummary {
  id: string;
  arn: string;
  collaborationArn: string;
  collaborationId: string;
  collaborationCreatorAccountId: string;
  collaborationCreatorDisplayName: string;
  collaborationName: string;
  createTime: number;
  updateTime: number;
  status: string;
  memberAbilities: string[];
  mlMemberAbilities?: WireMLMemberAbilities;
  paymentConfiguration: WirePaymentConfiguration;
}

export interface WireCollaboration {
  id: string;
  arn: string;
  name: string;
  description?: string;
  creatorAccountId: string;
  creatorDisplayName: string;
  createTime: number;
  updateTime: number;
  memberStatus: string;
  membershipId?: string;
  membershipArn?: string;
  dataEncryptionMetadata?: {
    allowCleartext: boolean;
    allowDuplicates: boolean;
    allowJoinsOnColumnsWithDifferentNames: boolean;
    preserveNulls: boolean;
  };
  queryLogStatus: string;
  jobLogStatus?: string;
  analyticsEngine?: string;
  autoApprovedChangeTypes?: string[];
  allowedResultRegions?: string[];
  isMetricsEnabled?: boolean;
}

export interface WireMemberSummary {
  accountId: string;
  status: string;
  displayName: string;
  abilities: string[];
  mlAbilities?: WireMLMemberAbilities;
  createTime: number;
  updateTime: number;
  membershipId?: string;
  membershipArn?: string;
  paymentConfiguration: WirePaymentConfiguration;
}

export interface WireConfiguredTableAssociationSummary {
  configuredTableId: string;
  membershipId: string;
  membershipArn: string;
  name: string;
  createTime: number;
  updateTime: number;
  id: string;
  arn: string;
  analysisRuleTypes?: string[];
}

export interface WireAnalysisTemplateSummary {
  arn: string;
  createTime: number;
  id: string;
  name: string;
  updateTime: number;
  membershipArn: string;
  membershipId: string;
  collaborationArn: string;
  collaborationId: string;
  description?: string;
  isSyntheticData?: boolean;
}

export interface WireProtectedQuerySummary {
  id: string;
  membershipId: string;
  membershipArn: string;
  createTime: number;
  status: string;
  receiverConfigurations: Array<{
    analysisType: string;
    configurationDetails?: { directAnalysisConfigurationDetails?: { receiverAccountIds?: string[] } };
  }>;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** The account that "owns" the test credentials (the member account). */
export const MEMBER_ACCOUNT_ID = '739275184620';
export const SEED_REGION = 'us-east-1';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Deterministic lowercase v4-shaped UUID derived from a seed string. */
export function deriveId(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  const variant = '89ab'[parseInt(h[16], 16) & 3];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function membershipArn(membershipId: string, region = SEED_REGION): string {
  return `arn:aws:cleanrooms:${region}:${MEMBER_ACCOUNT_ID}:membership/${membershipId}`;
}

export function collaborationArn(collaborationId: string, creatorAccountId: string, region = SEED_REGION): string {
  return `arn:aws:cleanrooms:${region}:${creatorAccountId}:collaboration/${collaborationId}`;
}

function roleArn(name: string): string {
  return `arn:aws:iam::${MEMBER_ACCOUNT_ID}:role/${name}`;
}

// ---------------------------------------------------------------------------------------------
// Sample memberships (every field variant of Membership)
// ---------------------------------------------------------------------------------------------

/**
 * Variants covered:
 * - status: ACTIVE (0,1,4,5,6), REMOVED (2), COLLABORATION_DELETED (3)
 * - memberAbilities: CAN_QUERY, CAN_RECEIVE_RESULTS, CAN_RUN_JOB, and the empty list (3)
 * - mlMemberAbilities: absent (0,2,4), both abilities (1), one each (3,5)
 * - queryLogStatus ENABLED/DISABLED; jobLogStatus ENABLED (1,4,6) / DISABLED (2,5) / absent (0,3)
 * - defaultResultConfiguration: CSV+keyPrefix+singleFileOutput true+roleArn (0), PARQUET no keyPrefix
 *   singleFileOutput false no roleArn (1), absent (2,4), PARQUET+keyPrefix no singleFileOutput+roleArn (3),
 *   CSV no keyPrefix singleFileOutput false no roleArn (5), CSV+keyPrefix no singleFileOutput+roleArn (6)
 * - defaultJobResultConfiguration: present with keyPrefix (1,6), without keyPrefix (4), absent (others)
 * - paymentConfiguration: queryCompute only (0,2); full machineLearning + jobCompute (1); partial ML (3,5,6);
 *   jobCompute only (4)
 * - isMetricsEnabled: true (0,3,6), false (1,5), absent (2,4)
 * - timestamps: whole and fractional epoch seconds.
 */
export const SAMPLE_MEMBERSHIPS: WireMembership[] = [
  {
    id: '3f6c1a2e-8b4d-4e7f-9a1c-5d2e7b8f0a11',
    arn: membershipArn('3f6c1a2e-8b4d-4e7f-9a1c-5d2e7b8f0a11'),
    collaborationArn: collaborationArn('a1b2c3d4-1111-4a2b-8c3d-4e5f60718293', '482916305571'),
    collaborationId: 'a1b2c3d4-1111-4a2b-8c3d-4e5f60718293',
    collaborationCreatorAccountId: '482916305571',
    collaborationCreatorDisplayName: 'Northwind Retail Media',
    collaborationName: 'Retail Media Measurement',
    createTime: 1706745600,
    updateTime: 1718035200.517,
    status: 'ACTIVE',
    memberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'],
    queryLogStatus: 'ENABLED',
    defaultResultConfiguration: {
      outputConfiguration: {
        s3: {
          resultFormat: 'CSV',
          bucket: 'retail-media-results-739275184620',
          keyPrefix: 'cleanrooms/retail-media/',
          singleFileOutput: true,
        },
      },
      roleArn: roleArn('CleanRoomsResultsWriter'),
    },
    paymentConfiguration: { queryCompute: { isResponsible: true } },
    isMetricsEnabled: true,
  },
  {
    id: '7d0e4b59-2c13-4f8a-b6e2-91c4a8d3f5b2',
    arn: membershipArn('7d0e4b59-2c13-4f8a-b6e2-91c4a8d3f5b2'),
    collaborationArn: collaborationArn('b2c3d4e5-2222-4b3c-9d4e-5f6071829304', '205938471126'),
    collaborationId: 'b2c3d4e5-2222-4b3c-9d4e-5f6071829304',
    collaborationCreatorAccountId: '205938471126',
    collaborationCreatorDisplayName: 'Helix Clinical Research',
    collaborationName: 'Clinical Trials Data Exchange',
    createTime: 1709251200,
    updateTime: 1727740800,
    status: 'ACTIVE',
    memberAbilities: ['CAN_QUERY', 'CAN_RUN_JOB', 'CAN_RECEIVE_RESULTS'],
    mlMemberAbilities: { customMLMemberAbilities: ['CAN_RECEIVE_MODEL_OUTPUT', 'CAN_RECEIVE_INFERENCE_OUTPUT'] },
    queryLogStatus: 'ENABLED',
    jobLogStatus: 'ENABLED',
    defaultResultConfiguration: {
      outputConfiguration: {
        s3: { resultFormat: 'PARQUET', bucket: 'helix-trial-results', singleFileOutput: false },
      },
    },
    defaultJobResultConfiguration: {
      outputConfiguration: { s3: { bucket: 'helix-pyspark-job-output', keyPrefix: 'jobs/2024/' } },
      roleArn: roleArn('CleanRoomsJobResultsWriter'),
    },
    paymentConfiguration: {
      queryCompute: { isResponsible: true },
      machineLearning: {
        modelTraining: { isResponsible: true },
        modelInference: { isResponsible: false },
        syntheticDataGeneration: { isResponsible: true },
      },
      jobCompute: { isResponsible: true },
    },
    isMetricsEnabled: false,
  },
  {
    id: 'c58a92f1-6e07-4d3b-8f15-2a9b7c4e6d03',
    arn: membershipArn('c58a92f1-6e07-4d3b-8f15-2a9b7c4e6d03'),
    collaborationArn: collaborationArn('c3d4e5f6-3333-4c4d-8e5f-60718293a4b5', '931847260394'),
    collaborationId: 'c3d4e5f6-3333-4c4d-8e5f-60718293a4b5',
    collaborationCreatorAccountId: '931847260394',
    collaborationCreatorDisplayName: 'Aurora Streaming Co.',
    collaborationName: 'Streaming Audience Overlap',
    createTime: 1693526400,
    updateTime: 1704067200,
    status: 'REMOVED',
    memberAbilities: ['CAN_RECEIVE_RESULTS'],
    queryLogStatus: 'DISABLED',
    jobLogStatus: 'DISABLED',
    paymentConfiguration: { queryCompute: { isResponsible: false } },
  },
  {
    id: '0b9e3d7c-4a61-4c28-a3f9-e8d2b1c7a504',
    arn: membershipArn('0b9e3d7c-4a61-4c28-a3f9-e8d2b1c7a504'),
    collaborationArn: collaborationArn('d4e5f607-4444-4d5e-9f60-718293a4b5c6', '618204937715'),
    collaborationId: 'd4e5f607-4444-4d5e-9f60-718293a4b5c6',
    collaborationCreatorAccountId: '618204937715',
    collaborationCreatorDisplayName: 'Evergreen Loyalty Partners',
    collaborationName: 'Loyalty Program Lookalikes',
    createTime: 1698796800.25,
    updateTime: 1711929600,
    status: 'COLLABORATION_DELETED',
    memberAbilities: [],
    mlMemberAbilities: { customMLMemberAbilities: ['CAN_RECEIVE_MODEL_OUTPUT'] },
    queryLogStatus: 'DISABLED',
    defaultResultConfiguration: {
      outputConfiguration: {
        s3: { resultFormat: 'PARQUET', bucket: 'evergreen-lookalike-seeds', keyPrefix: 'lookalikes/v2/' },
      },
      roleArn: roleArn('CleanRoomsMLResults'),
    },
    paymentConfiguration: {
      queryCompute: { isResponsible: false },
      machineLearning: { modelInference: { isResponsible: true } },
    },
    isMetricsEnabled: true,
  },
  {
    id: 'e2f47a18-9d35-4b6c-8e0a-7f1c3b5d9e05',
    arn: membershipArn('e2f47a18-9d35-4b6c-8e0a-7f1c3b5d9e05'),
    collaborationArn: collaborationArn('e5f60718-5555-4e6f-a071-8293a4b5c6d7', '374019528846'),
    collaborationId: 'e5f60718-5555-4e6f-a071-8293a4b5c6d7',
    collaborationCreatorAccountId: '374019528846',
    collaborationCreatorDisplayName: 'Meridian Bank Risk Office',
    collaborationName: 'Financial Fraud Signals Consortium',
    createTime: 1714521600,
    updateTime: 1730419200,
    status: 'ACTIVE',
    memberAbilities: ['CAN_RUN_JOB'],
    queryLogStatus: 'DISABLED',
    jobLogStatus: 'ENABLED',
    defaultJobResultConfiguration: {
      outputConfiguration: { s3: { bucket: 'meridian-fraud-job-results' } },
      roleArn: roleArn('CleanRoomsFraudJobs'),
    },
    paymentConfiguration: { queryCompute: { isResponsible: false }, jobCompute: { isResponsible: true } },
  },
  {
    id: '91a6c3e4-5f28-4d7b-b9c0-3e8f2a6d1c06',
    arn: membershipArn('91a6c3e4-5f28-4d7b-b9c0-3e8f2a6d1c06'),
    collaborationArn: collaborationArn('f6071829-6666-4f70-b182-93a4b5c6d7e8', '557183920463'),
    collaborationId: 'f6071829-6666-4f70-b182-93a4b5c6d7e8',
    collaborationCreatorAccountId: '557183920463',
    collaborationCreatorDisplayName: 'Skyway Travel Group',
    collaborationName: 'Travel Attribution Sandbox',
    createTime: 1722470400,
    updateTime: 1722470400,
    status: 'ACTIVE',
    memberAbilities: ['CAN_QUERY'],
    mlMemberAbilities: { customMLMemberAbilities: ['CAN_RECEIVE_INFERENCE_OUTPUT'] },
    queryLogStatus: 'ENABLED',
    jobLogStatus: 'DISABLED',
    defaultResultConfiguration: {
      outputConfiguration: { s3: { resultFormat: 'CSV', bucket: 'skyway-attribution', singleFileOutput: false } },
    },
    paymentConfiguration: {
      queryCompute: { isResponsible: true },
      machineLearning: { syntheticDataGeneration: { isResponsible: false } },
    },
    isMetricsEnabled: false,
  },
  {
    id: '5c7d8e9f-0a1b-4c2d-9e3f-4a5b6c7d8e07',
    arn: membershipArn('5c7d8e9f-0a1b-4c2d-9e3f-4a5b6c7d8e07'),
    collaborationArn: collaborationArn('07182930-7777-4081-8293-a4b5c6d7e8f9', '826450193372'),
    collaborationId: '07182930-7777-4081-8293-a4b5c6d7e8f9',
    collaborationCreatorAccountId: '826450193372',
    collaborationCreatorDisplayName: 'Café Réseau Média',
    collaborationName: 'Connected TV Reach & Frequency — Q3',
    createTime: 1725148800,
    updateTime: 1733011200.042,
    status: 'ACTIVE',
    memberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'],
    queryLogStatus: 'ENABLED',
    jobLogStatus: 'ENABLED',
    defaultResultConfiguration: {
      outputConfiguration: {
        s3: { resultFormat: 'CSV', bucket: 'ctv-reach-frequency', keyPrefix: 'q3/reach=*/' },
      },
      roleArn: roleArn('service-role/CleanRoomsCTVResults'),
    },
    defaultJobResultConfiguration: {
      outputConfiguration: { s3: { bucket: 'ctv-reach-frequency', keyPrefix: 'jobs/' } },
      roleArn: roleArn('service-role/CleanRoomsCTVResults'),
    },
    paymentConfiguration: {
      queryCompute: { isResponsible: true },
      machineLearning: {
        modelTraining: { isResponsible: false },
        modelInference: { isResponsible: true },
        syntheticDataGeneration: { isResponsible: false },
      },
      jobCompute: { isResponsible: false },
    },
    isMetricsEnabled: true,
  },
];

export const SAMPLE_IDS: string[] = SAMPLE_MEMBERSHIPS.map((m) => m.id);

/** Named handles on the samples, for readable tests. */
export const SAMPLE = {
  retailMedia: SAMPLE_MEMBERSHIPS[0],
  clinicalTrials: SAMPLE_MEMBERSHIPS[1],
  streamingRemoved: SAMPLE_MEMBERSHIPS[2],
  loyaltyDeleted: SAMPLE_MEMBERSHIPS[3],
  fraudJobsOnly: SAMPLE_MEMBERSHIPS[4],
  travelSandbox: SAMPLE_MEMBERSHIPS[5],
  ctvReach: SAMPLE_MEMBERSHIPS[6],
} as const;

export function membershipById(id: string): WireMembership | undefined {
  return SAMPLE_MEMBERSHIPS.find((m) => m.id === id);
}

/** The membership whose ListProtectedQueries answers AccessDeniedException. */
export const PROTECTED_QUERIES_DENIED_ID = SAMPLE.fraudJobsOnly.id;
/** The membership with more than 100 configured table associations. */
export const MANY_ASSOCIATIONS_ID = SAMPLE.retailMedia.id;
export const MANY_ASSOCIATIONS_COUNT = 137;

export function toMembershipSummary(m: WireMembership): WireMembershipSummary {
  const s: WireMembershipSummary = {
    id: m.id,
    arn: m.arn,
    collaborationArn: m.collaborationArn,
    collaborationId: m.collaborationId,
    collaborationCreatorAccountId: m.collaborationCreatorAccountId,
    collaborationCreatorDisplayName: m.collaborationCreatorDisplayName,
    collaborationName: m.collaborationName,
    createTime: m.createTime,
    updateTime: m.updateTime,
    status: m.status,
    memberAbilities: [...m.memberAbilities],
    paymentConfiguration: m.paymentConfiguration,
  };
  if (m.mlMemberAbilities) {
    s.mlMemberAbilities = m.mlMemberAbilities;
  }
  return s;
}

/** `n` plain ACTIVE memberships, for load/pagination tests (`endpoint.addMemberships(bulkMemberships(250))`). */
export function bulkMemberships(n: number): WireMembership[] {
  const out: WireMembership[] = [];
  for (let i = 0; i < n; i++) {
    const id = deriveId(`bulk-membership-${i}`);
    const collabId = deriveId(`bulk-collaboration-${i}`);
    const creator = String(100000000000 + ((i * 7919) % 899999999999)).padStart(12, '0');
    out.push({
      id,
      arn: membershipArn(id),
      collaborationArn: collaborationArn(collabId, creator),
      collaborationId: collabId,
      collaborationCreatorAccountId: creator,
      collaborationCreatorDisplayName: `Partner ${i + 1}`,
      collaborationName: `Bulk Collaboration ${String(i + 1).padStart(4, '0')}`,
      createTime: 1700000000 + i * 3600,
      updateTime: 1700000000 + i * 3600 + 60,
      status: i % 10 === 9 ? 'REMOVED' : 'ACTIVE',
      memberAbilities: i % 2 === 0 ? ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'] : ['CAN_RECEIVE_RESULTS'],
      queryLogStatus: i % 3 === 0 ? 'ENABLED' : 'DISABLED',
      paymentConfiguration: { queryCompute: { isResponsible: i % 2 === 0 } },
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Memberships left for Discover (the demo)
// ---------------------------------------------------------------------------------------------

/** The region of the demo's second set of memberships, found only through cleanRooms.discoverRegions. */
export const DISCOVER_OTHER_REGION = 'eu-west-1';

function discoverable(
  region: string,
  n: number,
  collaborationName: string,
  creator: { accountId: string; displayName: string },
  status = 'ACTIVE',
): WireMembership {
  const id = deriveId(`discoverable-${region}-${n}`);
  const collabId = deriveId(`discoverable-collaboration-${region}-${n}`);
  return {
    id,
    arn: membershipArn(id, region),
    collaborationArn: collaborationArn(collabId, creator.accountId, region),
    collaborationId: collabId,
    collaborationCreatorAccountId: creator.accountId,
    collaborationCreatorDisplayName: creator.displayName,
    collaborationName,
    createTime: 1712000000 + n * 86400,
    updateTime: 1712000000 + n * 86400 + 7200,
    status,
    memberAbilities: n % 2 === 0 ? ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'] : ['CAN_RECEIVE_RESULTS'],
    queryLogStatus: 'ENABLED',
    paymentConfiguration: { queryCompute: { isResponsible: n % 2 === 0 } },
  };
}

/**
 * Memberships no settings list, by the region they live in, so that Discover Memberships has
 * something to find in the demo: some in SEED_REGION (the region of the test profiles, which
 * Discover searches by default) and some in DISCOVER_OTHER_REGION, which only a Discover across
 * `cleanRooms.discoverRegions` finds. Unlike the samples, each lives in its own region only.
 * Endpoints serve them only when asked (seedDiscoverable), so the tests that count what
 * ListMemberships returns keep their counts.
 */
export const DISCOVERABLE_MEMBERSHIPS: Readonly<Record<string, readonly WireMembership[]>> = {
  [SEED_REGION]: [
    discoverable(SEED_REGION, 0, 'Loyalty Program Lift', { accountId: '611122233344', displayName: 'Contoso Loyalty Co' }),
    discoverable(SEED_REGION, 1, 'Supply Chain Demand Signals', { accountId: '622233344455', displayName: 'Fabrikam Logistics' }),
  ],
  [DISCOVER_OTHER_REGION]: [
    discoverable(DISCOVER_OTHER_REGION, 2, 'EU Retail Panel', { accountId: '633344455566', displayName: 'Northwind Europe' }),
    discoverable(DISCOVER_OTHER_REGION, 3, 'Publisher Audience Overlap (EU)', { accountId: '644455566677', displayName: 'Litware Media Ltd' }),
    discoverable(DISCOVER_OTHER_REGION, 4, 'Streaming Pilot (ended)', { accountId: '655566677788', displayName: 'Tailspin Streaming' }, 'REMOVED'),
  ],
};

/** Adds DISCOVERABLE_MEMBERSHIPS, each in its region, to an endpoint (the demo's, or a test's). */
export function seedDiscoverable(endpoint: { addMemberships(list: WireMembership[], region?: string): void }): void {
  for (const [region, list] of Object.entries(DISCOVERABLE_MEMBERSHIPS)) {
    endpoint.addMemberships([...list], region);
  }
}

// ---------------------------------------------------------------------------------------------
// Fault ids
// ---------------------------------------------------------------------------------------------

/**
 * One lowercase UUID per fault the endpoint injects. What each one does (the reply, delay and
 * drill-down behaviour, the message, what the user is shown) is its row in FAULTS, ./faults.ts.
 */
export const FAULT_IDS = {
  notFound: 'dead0404-0000-4000-8000-000000000001',
  accessDenied: 'dead0403-0000-4000-8000-000000000002',
  validation: 'dead0400-0000-4000-8000-000000000003',
  throttledOnce: 'dead0429-0000-4000-8000-000000000004',
  throttledForever: 'dead0429-0000-4000-8000-000000000005',
  internalError: 'dead0500-0000-4000-8000-000000000006',
  emptyBody: 'dead0200-0000-4000-8000-000000000007',
  malformedJson: 'dead0200-0000-4000-8000-000000000008',
  slow: 'dead0200-0000-4000-8000-000000000009',
  unknownUnion: 'dead0200-0000-4000-8000-00000000000a',
  unknownFields: 'dead0200-0000-4000-8000-00000000000b',
  expiredToken: 'dead0403-0000-4000-8000-00000000000c',
  hostile: 'dead0200-0000-4000-8000-00000000000d',
  badGateway: 'dead0502-0000-4000-8000-00000000000e',
  connectionReset: 'dead0000-0000-4000-8000-00000000000f',
  wrongTypes: 'dead0200-0000-4000-8000-000000000010',
  // Protected-query faults (StartProtectedQuery and what follows it; see ./faults.ts).
  queryTimeout: 'dead0200-0000-4000-8000-000000000011',
  queryConflict: 'dead0409-0000-4000-8000-000000000012',
  queryQuota: 'dead0402-0000-4000-8000-000000000013',
  s3AccessDenied: 'dead0403-0000-4000-8000-000000000014',
  missingResult: 'dead0404-0000-4000-8000-000000000015',
  corruptParquet: 'dead0200-0000-4000-8000-000000000016',
  startInternalError: 'dead0500-0000-4000-8000-000000000017',
  startSlow: 'dead0200-0000-4000-8000-000000000018',
} as const;

/** The page a failing proxy returns for `badGateway`. */
export const BAD_GATEWAY_HTML = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';

export type FaultKind = keyof typeof FAULT_IDS;

function fullFaultMembership(id: string, name: string, n: number): WireMembership {
  const collabId = deriveId(`fault-collaboration-${name}`);
  return {
    id,
    arn: membershipArn(id),
    collaborationArn: collaborationArn(collabId, '290384756102'),
    collaborationId: collabId,
    collaborationCreatorAccountId: '290384756102',
    collaborationCreatorDisplayName: 'Fault Injection Partners',
    collaborationName: name,
    createTime: 1700000000 + n * 86400,
    updateTime: 1700000000 + n * 86400 + 3600,
    status: 'ACTIVE',
    memberAbilities: ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'],
    queryLogStatus: 'ENABLED',
    jobLogStatus: 'DISABLED',
    defaultResultConfiguration: {
      outputConfiguration: { s3: { resultFormat: 'CSV', bucket: 'fault-injection-results', keyPrefix: 'out/' } },
      roleArn: roleArn('CleanRoomsResultsWriter'),
    },
    paymentConfiguration: { queryCompute: { isResponsible: true } },
    isMetricsEnabled: false,
  };
}

/** The membership served (eventually) for `throttledOnce`. */
export const THROTTLED_ONCE_MEMBERSHIP = fullFaultMembership(FAULT_IDS.throttledOnce, 'Throttled Once Collaboration', 1);
/** The membership served for `slow`. */
export const SLOW_MEMBERSHIP = fullFaultMembership(FAULT_IDS.slow, 'Slow Network Collaboration', 2);

/** Memberships of the protected-query faults: able to query and receive, with tables to query. */
export const QUERY_FAULT_MEMBERSHIPS = {
  queryTimeout: fullFaultMembership(FAULT_IDS.queryTimeout, 'Query Never Finishes', 11),
  queryConflict: fullFaultMembership(FAULT_IDS.queryConflict, 'Concurrent Update Conflict', 12),
  queryQuota: fullFaultMembership(FAULT_IDS.queryQuota, 'Query Quota Exhausted', 13),
  s3AccessDenied: fullFaultMembership(FAULT_IDS.s3AccessDenied, 'Results Bucket Denies Reads', 14),
  missingResult: fullFaultMembership(FAULT_IDS.missingResult, 'Result Object Missing', 15),
  corruptParquet: { ...fullFaultMembership(FAULT_IDS.corruptParquet, 'Corrupt Parquet Results', 16), defaultResultConfiguration: { outputConfiguration: { s3: { resultFormat: 'PARQUET', bucket: 'fault-injection-results', keyPrefix: 'parquet/' } } } },
  startInternalError: fullFaultMembership(FAULT_IDS.startInternalError, 'Start Answers 500', 17),
  startSlow: fullFaultMembership(FAULT_IDS.startSlow, 'Start Answers Late', 18),
} satisfies Record<string, WireMembership>;

/** Wire body (whole response) for `unknownUnion`. */
export const UNKNOWN_UNION_BODY = {
  membership: {
    ...fullFaultMembership(FAULT_IDS.unknownUnion, 'Future Output Destinations', 3),
    defaultResultConfiguration: {
      outputConfiguration: {
        dynamoDb: { tableName: 'cleanrooms-results', region: 'us-east-1', ttlDays: 30 },
      },
      roleArn: roleArn('CleanRoomsResultsWriter'),
    },
  },
};

/** The known part of `unknownFields` (what the SDK should hand back). */
export const UNKNOWN_FIELDS_MEMBERSHIP = fullFaultMembership(FAULT_IDS.unknownFields, 'Forward Compatible Collaboration', 4);

/** Wire body (whole response) for `unknownFields`: unknown fields at every level. */
export const UNKNOWN_FIELDS_BODY = {
  membership: {
    ...UNKNOWN_FIELDS_MEMBERSHIP,
    quantumEntanglementStatus: 'ENTANGLED',
    futureCounters: { queriesRun: 42, nested: { deeper: [1, 2, 3] } },
    defaultResultConfiguration: {
      ...UNKNOWN_FIELDS_MEMBERSHIP.defaultResultConfiguration,
      encryptionMode: 'SSE_KMS',
      outputConfiguration: {
        s3: {
          resultFormat: 'CSV',
          bucket: 'fault-injection-results',
          keyPrefix: 'out/',
          storageClass: 'GLACIER_IR',
        },
      },
    },
    paymentConfiguration: {
      queryCompute: { isResponsible: true, capUsd: 1000 },
      dataTransfer: { isResponsible: false },
    },
  },
  responseGeneratedBy: 'cleanrooms-next',
  warnings: ['field quantumEntanglementStatus is experimental'],
};

/** Truncated JSON body for `malformedJson`. */
export const MALFORMED_JSON_BODY =
  `{"membership":{"id":"${FAULT_IDS.malformedJson}","arn":"${membershipArn(FAULT_IDS.malformedJson)}",` +
  `"collaborationName":"Truncated Resp`;

// ---------------------------------------------------------------------------------------------
// Hostile strings
// ---------------------------------------------------------------------------------------------

export const HOSTILE_STRINGS: string[] = [
  '<img src=x onerror=window.__pwned=1>',
  '</script><script>window.__pwned=1</script>',
  '"><svg onload=window.__pwned=1>',
  'javascript:window.__pwned=1',
  '</style><style>*{display:none}</style>',
  '[click](command:workbench.action.quit)',
  '$(alert) ![x](http://127.0.0.1/x.png)',
  '\u202Eexe.gnp\u202C Retail \u2067RTL\u2069 \u200F',
  'Retail\u200B\u200C\u200D\u2060\uFEFFMedia',
  'W'.repeat(10000),
  'nul\u0000bell\u0007esc\u001b[31mred\u001b[0m back\u0008del\u007f c1\u0085\u009b',
  'line1\r\nline2\n\tindented\u2028ls\u2029ps',
  '🔐🧪 Clean Rooms 👩‍👩‍👧‍👦 🏳️‍🌈 🇺🇸',
  "'; DROP TABLE memberships; -- \" OR 1=1 /*",
  '"}]},{"injected":true,"x":"\\u0022\\\\',
  "{{constructor.constructor('window.__pwned=1')()}} ${window.__pwned=1} #{7*7}",
  '&lt;script&gt;window.__pwned=1&lt;/script&gt; &amp; &#x3C;b&#x3E;bold&#x3C;/b&#x3E;',
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  '[docs](file:///etc/passwd) <http://127.0.0.1:1/phish> [x](vscode://cleanrooms/x)',
  '$(loading~spin) $(error) $(gear)',
  '__proto__',
  'مرحبا Retail שלום',
  'Z̷̢͉̈́a̵̛͎l̸̳̈g̶̣͊o̴͙̚',
  '../../../../etc/passwd',
  '<div style="background:url(javascript:window.__pwned=1)">x</div><a href="command:cleanRooms.removeMembership">x</a>',
  'command:cleanRooms.removeMembership?%5B%22x%22%5D',
  '',
  '   \t  ',
  'cafe\u0301 vs caf\u00e9',
  '<!-- --><![CDATA[ ]]> <base href="http://127.0.0.1:1/"> <meta http-equiv="refresh" content="0;url=http://127.0.0.1:1/">',
];

/** One id per HOSTILE_STRINGS entry; HOSTILE_IDS[i] serves hostileMembership(HOSTILE_IDS[i], i). */
export const HOSTILE_IDS: string[] = HOSTILE_STRINGS.map(
  (_s, i) => `bad0c0de-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
);

export interface HostileOptions {
  /** Keep enum-typed fields (status, abilities, log statuses, resultFormat) valid. Default false. */
  keepEnums?: boolean;
}

/**
 * A membership with the right structure whose every string field (except `id`, which stays the
 * requested id) is HOSTILE_STRINGS[i] — including ARNs, account ids and enum-typed fields unless
 * `keepEnums` is set.
 */
export function hostileMembership(id: string, i: number, opts: HostileOptions = {}): WireMembership {
  const s = HOSTILE_STRINGS[((i % HOSTILE_STRINGS.length) + HOSTILE_STRINGS.length) % HOSTILE_STRINGS.length];
  const e = (valid: string): string => (opts.keepEnums ? valid : s);
  return {
    id,
    arn: s,
    collaborationArn: s,
    collaborationId: s,
    collaborationCreatorAccountId: s,
    collaborationCreatorDisplayName: s,
    collaborationName: s,
    createTime: 1700000000 + i,
    updateTime: 1700000000 + i,
    status: e('ACTIVE'),
    memberAbilities: opts.keepEnums ? ['CAN_QUERY', 'CAN_RECEIVE_RESULTS'] : ['CAN_QUERY', s],
    mlMemberAbilities: { customMLMemberAbilities: [e('CAN_RECEIVE_MODEL_OUTPUT')] },
    queryLogStatus: e('ENABLED'),
    jobLogStatus: e('DISABLED'),
    defaultResultConfiguration: {
      outputConfiguration: { s3: { resultFormat: e('CSV'), bucket: s, keyPrefix: s, singleFileOutput: true } },
      roleArn: s,
    },
    defaultJobResultConfiguration: {
      outputConfiguration: { s3: { bucket: s, keyPrefix: s } },
      roleArn: s,
    },
    paymentConfiguration: {
      queryCompute: { isResponsible: true },
      machineLearning: { modelTraining: { isResponsible: false } },
      jobCompute: { isResponsible: true },
    },
    isMetricsEnabled: true,
  };
}

/** The `hostile` fault membership: a different hostile string in each string field. */
export const HOSTILE_MEMBERSHIP: WireMembership = (() => {
  let k = 0;
  const next = (): string => HOSTILE_STRINGS[k++ % HOSTILE_STRINGS.length];
  return {
    id: FAULT_IDS.hostile,
    collaborationName: next(), // <img src=x onerror=...>
    collaborationCreatorDisplayName: next(), // </script><script>
    arn: next(), // "><svg onload>
    collaborationArn: next(), // javascript:
    collaborationId: next(), // </style>
    collaborationCreatorAccountId: next(), // [click](command:...)
    createTime: 1700000000,
    updateTime: 1700000001,
    status: next(), // $(alert) ![x](...)
    memberAbilities: ['CAN_QUERY', next(), next()],
    mlMemberAbilities: { customMLMemberAbilities: [next()] },
    queryLogStatus: next(),
    jobLogStatus: next(),
    defaultResultConfiguration: {
      outputConfiguration: { s3: { resultFormat: next(), bucket: next(), keyPrefix: next(), singleFileOutput: false } },
      roleArn: next(),
    },
    defaultJobResultConfiguration: {
      outputConfiguration: { s3: { bucket: next(), keyPrefix: next() } },
      roleArn: next(),
    },
    paymentConfiguration: {
      queryCompute: { isResponsible: false },
      machineLearning: { syntheticDataGeneration: { isResponsible: true } },
    },
    isMetricsEnabled: false,
  };
})();

// ---------------------------------------------------------------------------------------------
// Drill-down seeds
// ---------------------------------------------------------------------------------------------

interface CollaborationExtras {
  description?: string;
  analyticsEngine?: string;
  dataEncryptionMetadata?: WireCollaboration['dataEncryptionMetadata'];
  autoApprovedChangeTypes?: string[];
  allowedResultRegions?: string[];
  /** Other members besides the creator and us. */
  otherMembers: Array<{ accountId: string; displayName: string; status: string; abilities: string[] }>;
  creatorAbilities: string[];
}

const COLLABORATION_EXTRAS: Record<string, CollaborationExtras> = {
  [SAMPLE.retailMedia.collaborationId]: {
    description: 'Closed-loop measurement of on-site and off-site retail media campaigns.',
    analyticsEngine: 'CLEAN_ROOMS_SQL',
    dataEncryptionMetadata: {
      allowCleartext: true,
      allowDuplicates: false,
      allowJoinsOnColumnsWithDifferentNames: false,
      preserveNulls: true,
    },
    autoApprovedChangeTypes: ['ADD_MEMBER'],
    allowedResultRegions: ['us-east-1', 'us-west-2'],
    creatorAbilities: [],
    otherMembers: [
      { accountId: '104857600123', displayName: 'Contoso Beverages', status: 'ACTIVE', abilities: [] },
      { accountId: '209715200456', displayName: 'Fabrikam Snacks', status: 'ACTIVE', abilities: [] },
      { accountId: '314572800789', displayName: 'Tailspin Home Goods', status: 'INVITED', abilities: [] },
      { accountId: '419430400012', displayName: 'Wingtip Outdoor', status: 'LEFT', abilities: [] },
      { accountId: '524288000345', displayName: 'Litware Electronics', status: 'ACTIVE', abilities: [] },
      { accountId: '629145600678', displayName: 'Proseware Pet Supply', status: 'REMOVED', abilities: [] },
      { accountId: '734003200901', displayName: 'Adventure Works Cycles', status: 'ACTIVE', abilities: [] },
      { accountId: '838860800234', displayName: 'Woodgrove Grocers', status: 'ACTIVE', abilities: [] },
      { accountId: '943718400567', displayName: 'Lucerne Publishing', status: 'INVITED', abilities: [] },
      { accountId: '148576000890', displayName: 'Humongous Insurance', status: 'ACTIVE', abilities: [] },
    ],
  },
  [SAMPLE.clinicalTrials.collaborationId]: {
    description: 'De-identified patient cohorts for multi-site trial feasibility.',
    analyticsEngine: 'SPARK',
    allowedResultRegions: ['us-east-1'],
    creatorAbilities: ['CAN_QUERY'],
    otherMembers: [
      { accountId: '250000000101', displayName: 'Mercy Regional Hospital', status: 'ACTIVE', abilities: [] },
      { accountId: '250000000202', displayName: 'Bluefin Genomics', status: 'ACTIVE', abilities: [] },
    ],
  },
  [SAMPLE.streamingRemoved.collaborationId]: {
    description: 'Audience overlap between streaming subscribers and advertiser CRM lists.',
    analyticsEngine: 'CLEAN_ROOMS_SQL',
    creatorAbilities: ['CAN_QUERY'],
    otherMembers: [{ accountId: '360000000303', displayName: 'Blue Yonder Airlines', status: 'ACTIVE', abilities: [] }],
  },
  [SAMPLE.fraudJobsOnly.collaborationId]: {
    description: 'Cross-bank fraud signal sharing with PySpark jobs only.',
    analyticsEngine: 'SPARK',
    autoApprovedChangeTypes: ['GRANT_RECEIVE_RESULTS_ABILITY', 'REVOKE_RECEIVE_RESULTS_ABILITY'],
    allowedResultRegions: ['us-east-1', 'eu-west-1'],
    creatorAbilities: ['CAN_RECEIVE_RESULTS'],
    otherMembers: [
      { accountId: '470000000404', displayName: 'Northern Trust Credit Union', status: 'ACTIVE', abilities: [] },
      { accountId: '470000000505', displayName: 'Pacific Card Services', status: 'INVITED', abilities: [] },
    ],
  },
  [SAMPLE.travelSandbox.collaborationId]: {
    analyticsEngine: 'CLEAN_ROOMS_SQL',
    creatorAbilities: ['CAN_RECEIVE_RESULTS'],
    otherMembers: [],
  },
  [SAMPLE.ctvReach.collaborationId]: {
    description: 'Déduplication de la portée TV connectée — partenaires européens.',
    analyticsEngine: 'CLEAN_ROOMS_SQL',
    dataEncryptionMetadata: {
      allowCleartext: false,
      allowDuplicates: true,
      allowJoinsOnColumnsWithDifferentNames: true,
      preserveNulls: false,
    },
    allowedResultRegions: ['eu-west-1', 'eu-central-1'],
    creatorAbilities: [],
    otherMembers: [{ accountId: '580000000606', displayName: 'Northwind Publishers GmbH', status: 'ACTIVE', abilities: [] }],
  },
};

function memberStatusFor(membershipStatus: string): string {
  return membershipStatus === 'ACTIVE' ? 'ACTIVE' : membershipStatus === 'REMOVED' ? 'REMOVED' : 'LEFT';
}

/** GetCollaboration for the caller's membership `m` (synthesised for memberships without extras). */
export function collaborationFor(m: WireMembership): WireCollaboration {
  const x = COLLABORATION_EXTRAS[m.collaborationId];
  const c: WireCollaboration = {
    id: m.collaborationId,
    arn: m.collaborationArn,
    name: m.collaborationName,
    creatorAccountId: m.collaborationCreatorAccountId,
    creatorDisplayName: m.collaborationCreatorDisplayName,
    createTime: m.createTime - 86400,
    updateTime: m.updateTime,
    memberStatus: memberStatusFor(m.status),
    membershipId: m.id,
    membershipArn: m.arn,
    queryLogStatus: m.queryLogStatus,
  };
  if (x?.description !== undefined) c.description = x.description;
  if (x?.dataEncryptionMetadata) c.dataEncryptionMetadata = x.dataEncryptionMetadata;
  if (m.jobLogStatus !== undefined) c.jobLogStatus = m.jobLogStatus;
  if (x?.analyticsEngine !== undefined) c.analyticsEngine = x.analyticsEngine;
  if (x?.autoApprovedChangeTypes) c.autoApprovedChangeTypes = x.autoApprovedChangeTypes;
  if (x?.allowedResultRegions) c.allowedResultRegions = x.allowedResultRegions;
  if (m.isMetricsEnabled !== undefined) c.isMetricsEnabled = m.isMetricsEnabled;
  return c;
}

/** ListMembers for the collaboration of membership `m`: creator first, then us, then the others. */
export function membersFor(m: WireMembership): WireMemberSummary[] {
  const x = COLLABORATION_EXTRAS[m.collaborationId];
  const t0 = m.createTime - 86400;
  const members: WireMemberSummary[] = [
    {
      accountId: m.collaborationCreatorAccountId,
      status: 'ACTIVE',
      displayName: m.collaborationCreatorDisplayName,
      abilities: x ? [...x.creatorAbilities] : [],
      createTime: t0,
      updateTime: t0,
      membershipId: deriveId(`creator-membership-${m.collaborationId}`),
      membershipArn: `arn:aws:cleanrooms:${SEED_REGION}:${m.collaborationCreatorAccountId}:membership/${deriveId(
        `creator-membership-${m.collaborationId}`,
      )}`,
      paymentConfiguration: { queryCompute: { isResponsible: !m.paymentConfiguration.queryCompute.isResponsible } },
    },
  ];
  const us: WireMemberSummary = {
    accountId: MEMBER_ACCOUNT_ID,
    status: memberStatusFor(m.status),
    displayName: 'Example Corp Analytics',
    abilities: [...m.memberAbilities],
    createTime: m.createTime,
    updateTime: m.updateTime,
    membershipId: m.id,
    membershipArn: m.arn,
    paymentConfiguration: m.paymentConfiguration,
  };
  if (m.mlMemberAbilities) us.mlAbilities = m.mlMemberAbilities;
  members.push(us);
  (x?.otherMembers ?? []).forEach((o, i) => {
    const mid = deriveId(`member-${m.collaborationId}-${o.accountId}`);
    const member: WireMemberSummary = {
      accountId: o.accountId,
      status: o.status,
      displayName: o.displayName,
      abilities: [...o.abilities],
      createTime: t0 + (i + 1) * 600,
      updateTime: t0 + (i + 1) * 900,
      paymentConfiguration: { queryCompute: { isResponsible: false } },
    };
    if (o.status !== 'INVITED') {
      member.membershipId = mid;
      member.membershipArn = `arn:aws:cleanrooms:${SEED_REGION}:${o.accountId}:membership/${mid}`;
    }
    members.push(member);
  });
  return members;
}

const TABLE_STEMS = [
  'campaign_exposures',
  'loyalty_transactions',
  'store_visits',
  'product_catalog',
  'crm_segments',
  'web_conversions',
  'coupon_redemptions',
  'households',
];
const RULE_TYPE_SETS: string[][] = [['AGGREGATION'], ['LIST'], ['CUSTOM'], ['AGGREGATION', 'CUSTOM'], []];

function association(m: WireMembership, i: number, stem: string): WireConfiguredTableAssociationSummary {
  const id = deriveId(`cta-${m.id}-${i}`);
  const s: WireConfiguredTableAssociationSummary = {
    configuredTableId: deriveId(`ct-${m.id}-${i}`),
    membershipId: m.id,
    membershipArn: m.arn,
    name: stem,
    createTime: m.createTime + i * 3600,
    updateTime: m.createTime + i * 3600 + 120,
    id,
    arn: `arn:aws:cleanrooms:${SEED_REGION}:${MEMBER_ACCOUNT_ID}:configuredtableassociation/${m.id}/${id}`,
  };
  const rules = RULE_TYPE_SETS[i % RULE_TYPE_SETS.length];
  if (rules.length > 0) s.analysisRuleTypes = [...rules];
  return s;
}

const ASSOCIATION_COUNTS: Record<string, number> = {
  [SAMPLE.retailMedia.id]: MANY_ASSOCIATIONS_COUNT,
  [SAMPLE.clinicalTrials.id]: 4,
  [SAMPLE.streamingRemoved.id]: 1,
  [SAMPLE.fraudJobsOnly.id]: 3,
  [SAMPLE.travelSandbox.id]: 0,
  [SAMPLE.ctvReach.id]: 6,
  ...Object.fromEntries(Object.values(QUERY_FAULT_MEMBERSHIPS).map((m) => [m.id, 3])),
};

export function associationsFor(m: WireMembership): WireConfiguredTableAssociationSummary[] {
  const n = ASSOCIATION_COUNTS[m.id] ?? 0;
  const out: WireConfiguredTableAssociationSummary[] = [];
  for (let i = 0; i < n; i++) {
    const stem = TABLE_STEMS[i % TABLE_STEMS.length];
    out.push(association(m, i, n > TABLE_STEMS.length ? `${stem}_${String(i + 1).padStart(3, '0')}` : stem));
  }
  return out;
}

const TEMPLATE_SEEDS: Record<string, Array<{ name: string; description?: string; isSyntheticData?: boolean }>> = {
  [SAMPLE.retailMedia.id]: [
    { name: 'incremental_sales_lift', description: 'Exposed vs. control sales lift by campaign and week.' },
    { name: 'reach_and_frequency', description: 'Distinct households reached and average frequency.' },
    { name: 'new_to_brand_share' },
  ],
  [SAMPLE.clinicalTrials.id]: [
    { name: 'cohort_feasibility', description: 'Eligible patient counts per site (k-anonymity 11).' },
    { name: 'adverse_event_rates', description: 'Rates by arm, suppressed below threshold.' },
    { name: 'synthetic_cohort_generator', description: 'PySpark synthetic cohort.', isSyntheticData: true },
    { name: 'site_overlap' },
    { name: 'enrollment_forecast', isSyntheticData: false },
  ],
  [SAMPLE.fraudJobsOnly.id]: [{ name: 'mule_account_graph', description: 'Shared-device graph features.' }],
  [SAMPLE.ctvReach.id]: [
    { name: 'dedup_reach', description: 'Portée dédupliquée par diffuseur.' },
    { name: 'frequency_distribution' },
  ],
};

export function analysisTemplatesFor(m: WireMembership): WireAnalysisTemplateSummary[] {
  return (TEMPLATE_SEEDS[m.id] ?? []).map((t, i) => {
    const id = deriveId(`template-${m.id}-${i}`);
    const s: WireAnalysisTemplateSummary = {
      arn: `arn:aws:cleanrooms:${SEED_REGION}:${MEMBER_ACCOUNT_ID}:membership/${m.id}/analysistemplate/${id}`,
      createTime: m.createTime + (i + 1) * 7200,
      id,
      name: t.name,
      updateTime: m.createTime + (i + 1) * 7200 + 300,
      membershipArn: m.arn,
      membershipId: m.id,
      collaborationArn: m.collaborationArn,
      collaborationId: m.collaborationId,
    };
    if (t.description !== undefined) s.description = t.description;
    if (t.isSyntheticData !== undefined) s.isSyntheticData = t.isSyntheticData;
    return s;
  });
}

const QUERY_STATUSES = ['SUCCESS', 'SUCCESS', 'FAILED', 'SUCCESS', 'CANCELLED', 'TIMED_OUT', 'SUCCESS', 'STARTED', 'SUBMITTED', 'CANCELLING'];
const QUERY_COUNTS: Record<string, number> = {
  [SAMPLE.retailMedia.id]: 30,
  [SAMPLE.clinicalTrials.id]: 8,
  [SAMPLE.streamingRemoved.id]: 2,
  [SAMPLE.travelSandbox.id]: 0,
  [SAMPLE.ctvReach.id]: 5,
};

/** ListProtectedQueries for `m`, newest first. */
export function protectedQueriesFor(m: WireMembership): WireProtectedQuerySummary[] {
  const n = QUERY_COUNTS[m.id] ?? 0;
  const out: WireProtectedQuerySummary[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const receivers = i % 4 === 3 ? [MEMBER_ACCOUNT_ID, m.collaborationCreatorAccountId] : [MEMBER_ACCOUNT_ID];
    out.push({
      id: deriveId(`pq-${m.id}-${i}`),
      membershipId: m.id,
      membershipArn: m.arn,
      createTime: m.createTime + 86400 + i * 5400,
      status: QUERY_STATUSES[i % QUERY_STATUSES.length],
      receiverConfigurations:
        i % 5 === 4
          ? [{ analysisType: 'ADDITIONAL_ANALYSIS' }]
          : [
              {
                analysisType: 'DIRECT_ANALYSIS',
                configurationDetails: { directAnalysisConfigurationDetails: { receiverAccountIds: receivers } },
              },
            ],
    });
  }
  return out;
}

/**
 * The membership served for `wrongTypes`: a well-formed response whose fields break the API's
 * documented types (numbers for strings, a string for a list, an object for a name).
 */
export const WRONG_TYPES_MEMBERSHIP: Record<string, unknown> = {
  id: FAULT_IDS.wrongTypes,
  arn: 12345,
  collaborationId: deriveId('fault-collaboration-wrong-types'),
  collaborationArn: ['not', 'a', 'string'],
  collaborationCreatorAccountId: 290384756102,
  collaborationCreatorDisplayName: { name: 'Typed Wrong Inc' },
  collaborationName: { text: 'Wrong Types Collaboration' },
  createTime: 1700000000,
  status: 42,
  memberAbilities: 'CAN_QUERY',
  mlMemberAbilities: 'none',
  queryLogStatus: true,
  defaultResultConfiguration: 'S3',
  paymentConfiguration: [1, 2],
  isMetricsEnabled: 'yes',
};
