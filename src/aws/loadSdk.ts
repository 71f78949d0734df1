export type Sdk = typeof import('./sdk');

let sdk: Sdk | undefined;

/** The SDK, loaded on first use (see ./sdk.ts). The path stays relative so dist/sdk.js is found. */
export function loadSdk(): Sdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy require keeps the SDK out of activation; esbuild leaves ./sdk as its own file
  sdk ??= require('./sdk') as Sdk;
  return sdk;
}
