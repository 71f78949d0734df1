// Entry point for the untrusted-workspace suites: code-server runs with workspace trust enabled
// and the workspace not trusted (test/harness/runIntegration.mjs --untrusted).
import { runSuites } from '../integration/index';

export function run(): Promise<void> {
  return runSuites(__dirname, 'untrusted');
}
