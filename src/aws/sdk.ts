/**
 * Every runtime use of the AWS SDK goes through this module, which esbuild bundles on its own
 * (dist/sdk.js) and `loadSdk()` requires on first use. Activation therefore never evaluates the
 * SDK: it costs about 100 ms, and a tree painted from settings does not need it.
 */
export {
  BatchGetSchemaAnalysisRuleCommand,
  BatchGetSchemaCommand,
  CleanRoomsClient,
  GetCollaborationCommand,
  GetCollaborationAnalysisTemplateCommand,
  GetMembershipCommand,
  ListCollaborationAnalysisTemplatesCommand,
  ListConfiguredTableAssociationsCommand,
  ListMembersCommand,
  ListMembershipsCommand,
  ListProtectedQueriesCommand,
  ListSchemasCommand,
  GetProtectedQueryCommand,
  StartProtectedQueryCommand,
  UpdateMembershipCommand,
  UpdateProtectedQueryCommand,
} from '@aws-sdk/client-cleanrooms';
export { S3Client, ListObjectsV2Command, GetObjectCommand } from '@aws-sdk/client-s3';
export { fromEnv, fromIni } from '@aws-sdk/credential-providers';
export { loadSharedConfigFiles } from '@smithy/core/config';
// Privacy budgets (its own statement: other features add theirs without touching this one).
export { ListPrivacyBudgetsCommand, PreviewPrivacyImpactCommand } from '@aws-sdk/client-cleanrooms';
