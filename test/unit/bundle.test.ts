import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, it } from 'node:test';

// out/test/unit -> repository root, where `npm run build` wrote dist/.
const ROOT = path.resolve(__dirname, '..', '..', '..');
const SDK_BUNDLE = path.join(ROOT, 'dist', 'sdk.js');
const EXTENSION_BUNDLE = path.join(ROOT, 'dist', 'extension.js');
const PARSERS_BUNDLE = path.join(ROOT, 'dist', 'parsers.js');
const SQL_PARSER_BUNDLE = path.join(ROOT, 'dist', 'sqlparser.js');
/** Text only the S3 client carries (its ListObjectsV2 reply element, its checksum header). */
const S3_CLIENT = /ListBucketResult|x-amz-checksum-mode/;
/** Text only hyparquet and its codecs carry. */
const PARQUET_READER = /parquet metadata length|lz4 not hadoop|invalid zstd/;
/** Text only the SQL parser (pgsql-ast-parser, a nearley grammar) carries. */
const SQL_PARSER = /Unexpected end of input|nearley/;

describe('the SDK bundle (dist/sdk.js)', () => {
  it('creates a client without telling VS Code users to upgrade a Node they do not control', () => {
    assert.ok(fs.existsSync(SDK_BUNDLE), 'run `npm run build` first');
    const script = `
      const sdk = require(${JSON.stringify(SDK_BUNDLE)});
      process.on('warning', (w) => console.log('WARNING ' + w.message.split('\\n')[0]));
      new sdk.CleanRoomsClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
      setTimeout(() => console.log('done'), 50);
    `;
    // Node 20 is what VS Code 1.100's extension host runs, and what the SDK warns about.
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '' } });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /done/);
    assert.doesNotMatch(run.stdout + run.stderr, /NodeVersionSupportWarning/);
  });
});

describe('what activation loads (dist/extension.js) and what waits for first use (dist/sdk.js, dist/parsers.js, dist/sqlparser.js)', () => {
  it('the extension bundle holds neither the S3 client, hyparquet nor the SQL parser; the lazy bundles do', () => {
    assert.ok(fs.existsSync(EXTENSION_BUNDLE) && fs.existsSync(PARSERS_BUNDLE) && fs.existsSync(SQL_PARSER_BUNDLE), 'run `npm run build` first');
    const extension = fs.readFileSync(EXTENSION_BUNDLE, 'utf8');
    assert.doesNotMatch(extension, S3_CLIENT);
    assert.doesNotMatch(extension, PARQUET_READER);
    assert.doesNotMatch(extension, SQL_PARSER);
    assert.match(fs.readFileSync(SDK_BUNDLE, 'utf8'), S3_CLIENT);
    assert.match(fs.readFileSync(PARSERS_BUNDLE, 'utf8'), PARQUET_READER);
    assert.match(fs.readFileSync(SQL_PARSER_BUNDLE, 'utf8'), SQL_PARSER);
  });

  it('the SQL parser bundle loads on its own and parses Clean Rooms SQL with offsets (prints its size and load time)', () => {
    const script = `
      const start = performance.now();
      const p = require(${JSON.stringify(SQL_PARSER_BUNDLE)});
      const loaded = performance.now() - start;
      const statements = p.parse('SELECT "order".x FROM "order" WHERE d = $1', { locationTracking: true });
      const at = statements[0].from[0].name._location;
      console.log(JSON.stringify({ loaded, from: [at.start, at.end] }));
    `;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const { loaded, from } = JSON.parse(run.stdout) as { loaded: number; from: [number, number] };
    assert.deepEqual(from, [22, 29]);
    const size = fs.statSync(SQL_PARSER_BUNDLE).size;
    console.log(`dist/sqlparser.js: ${(size / 1024).toFixed(0)} KB (${(zlib.gzipSync(fs.readFileSync(SQL_PARSER_BUNDLE)).length / 1024).toFixed(0)} KB gzipped), loads in ${loaded.toFixed(0)} ms on first use`);
  });

  it('the packaged extension includes every bundle (.vscodeignore)', () => {
    const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split(/\r?\n/);
    for (const bundle of fs.readdirSync(path.join(ROOT, 'dist')).filter((f) => f.endsWith('.js'))) {
      assert.ok(ignore.includes(`!dist/${bundle}`), `dist/${bundle} is left out of the .vsix`);
    }
  });

  it('the parsers bundle loads on its own and reads CSV and zstd/lz4/gzip Parquet', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parsers-bundle-'));
    const db = await DuckDBInstance.create(':memory:', { threads: '1' });
    const c = await db.connect();
    try {
      for (const codec of ['zstd', 'lz4', 'gzip', 'brotli']) {
        await c.run(`COPY (SELECT i, 'v' || i AS s FROM range(3) t(i)) TO '${path.join(dir, codec)}' (FORMAT parquet, COMPRESSION ${codec})`);
      }
    } finally {
      c.closeSync();
      db.closeSync();
    }
    const script = `
      const fs = require('fs');
      const p = require(${JSON.stringify(PARSERS_BUNDLE)});
      (async () => {
        const out = [];
        for (const codec of ['zstd', 'lz4', 'gzip', 'brotli']) {
          const t = await p.parseParquet([{ key: codec, bytes: new Uint8Array(fs.readFileSync(${JSON.stringify(dir)} + '/' + codec)) }]);
          out.push(codec + ':' + t.cell(2, 0) + ',' + t.cell(2, 1));
        }
        const r = p.csvReader();
        r.end(r.begin({ key: 'k', bytes: new TextEncoder().encode('a\\n"x"\\n') }));
        out.push('csv:' + r.snapshot().cell(0, 0));
        console.log(out.join(' '));
      })();
    `;
    try {
      const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout.trim(), 'zstd:2,v2 lz4:2,v2 gzip:2,v2 brotli:2,v2 csv:x');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('third-party notices (dist/THIRD_PARTY_NOTICES.txt)', () => {
  it('names every bundled package with its licence text, and none is GPL', () => {
    const notices = fs.readFileSync(path.join(ROOT, 'dist', 'THIRD_PARTY_NOTICES.txt'), 'utf8');
    for (const name of ['@aws-sdk/client-cleanrooms', '@aws-sdk/client-s3', 'hyparquet', 'fzstd', 'pgsql-ast-parser', 'moo', 'nearley']) {
      assert.match(notices, new RegExp(`^${name.replace(/[/.]/g, '\\$&')} \\d`, 'm'), `${name} is listed`);
    }
    assert.match(notices, /BSD 3-Clause License/, "moo's licence text travels with it");
    assert.doesNotMatch(notices, /\bGPL\b|General Public License/, 'no copyleft code in the bundles');
  });

  it('is packaged in the .vsix', () => {
    assert.match(fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8'), /^!dist\/THIRD_PARTY_NOTICES\.txt$/m);
  });
});
