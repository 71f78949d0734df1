// Bundles the extension into one file. `vscode` is provided by the host at run time.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

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
  writeNotices(result.metafile);
  if (process.argv.includes('--analyze')) {
    console.log(await esbuild.analyzeMetafile(result.metafile));
  }
}

/**
 * dist/THIRD_PARTY_NOTICES.txt: the licence of every npm package whose code is in a bundle (read
 * from the build's own list of inputs, so it cannot drift). legalComments are dropped from the
 * minified files; Apache-2.0, BSD and MIT all ask that their notice travel with the code.
 */
function writeNotices(metafile) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (!m) continue;
    const dir = input.slice(0, m.index + m[0].length);
    packages.set(dir, m[1]);
  }
  // Packages with the same licence text (the AWS SDK's Apache-2.0, say) share one copy of it.
  const byText = new Map();
  for (const [dir, name] of [...packages].sort((a, b) => a[1].localeCompare(b[1]))) {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const licenceFile = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying|notice)(\.|$)/i.test(f));
    const text = licenceFile ? fs.readFileSync(path.join(dir, licenceFile), 'utf8').trim() : `License: ${manifest.license ?? 'see the package'}`;
    byText.set(text, [...(byText.get(text) ?? []), `${name} ${manifest.version} (${manifest.license ?? 'unknown licence'})`]);
  }
  const sections = [...byText].map(([text, names]) => `${names.join('\n')}\n${'-'.repeat(60)}\n${text}\n`);
  fs.writeFileSync(
    path.join('dist', 'THIRD_PARTY_NOTICES.txt'),
    `Clean Rooms Explorer bundles code from these npm packages, under their own licences.\n\n${sections.join('\n')}`,
  );
}
