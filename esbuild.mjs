// Bundles the extension into one file. `vscode` is provided by the host at run time.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// Three bundles: the extension, the AWS SDK (Clean Rooms and S3 clients) it requires lazily on
// first use (src/aws/sdk.ts), so activation never pays for evaluating the SDK, and the result
// parsers (src/results/parsers.ts: hyparquet, the CSV reader), loaded only when a result is read.
// S3 shares the SDK bundle because the clients share most of their code (@smithy/core, the
// credential providers): a bundle of its own would repeat ~120 KB (gzipped) of it. A fourth, the
// SQL parser (src/sql/sqlparser.ts), loads when the pre-flight check first reads a statement.
const options = {
  entryPoints: { extension: 'src/extension.ts', sdk: 'src/aws/sdk.ts', parsers: 'src/results/parsers.ts', sqlparser: 'src/sql/sqlparser.ts' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  external: ['vscode', './sdk', './parsers', './sqlparser'],
  minify: production,
  sourcemap: !production,
  // The SDK ships both ESM and CJS builds; prefer the module build so esbuild can drop unused code.
  mainFields: ['module', 'main'],
  legalComments: 'none',
  // The SDK warns that its 2027 releases need Node 22 and tells the reader to upgrade Node. Here
  // Node is VS Code's own (its Electron), which users cannot upgrade: the advice would only be noise
  // in their extension host log. Answered at build time, so no environment variable is set for the
  // other extensions sharing the host.
  define: { 'process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED': '"true"' },
  logLevel: 'warning',
  metafile: true,
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log('esbuild: watching src/');
} else {
  const result = await esbuild.build(options);
  if (process.argv.includes('--analyze')) {
    console.log(await esbuild.analyzeMetafile(result.metafile));
  }
}
