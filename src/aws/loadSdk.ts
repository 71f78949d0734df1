export type Sdk = typeof import('./sdk');

let sdk: Sdk | undefined;

/** The SDK, loaded on first use (see ./sdk.ts). The path stays relative so dist/sdk.js is found. */
export function loadSdk(): Sdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sdk ??= require('./sdk') as Sdk;
  return sdk;
}
