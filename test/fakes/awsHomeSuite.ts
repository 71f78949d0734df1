import { after, before } from 'node:test';
import { applyAwsEnv, createAwsHome, type AwsHome } from './awsHome';

/**
 * For a node:test suite that talks to the local endpoint with real profile files: a temporary AWS
 * home and the environment pointing at it, made before the suite's tests and removed after them.
 * `created` receives the home (its files, for tests that read or change them).
 */
export function useAwsHome(created: (home: AwsHome) => void = () => {}): void {
  let home: AwsHome | undefined;
  let restoreEnv: (() => void) | undefined;
  before(() => {
    home = createAwsHome();
    restoreEnv = applyAwsEnv(home.env);
    created(home);
  });
  after(() => {
    restoreEnv?.();
    home?.cleanup();
  });
}
