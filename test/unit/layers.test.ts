import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

/**
 * The layering the architecture relies on, read from the sources: the SQL and model layers are
 * free of `vscode` and of the views (so they are unit-tested in plain Node and reused by any
 * view), and API values are type-checked once, in src/aws/conform.ts.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');

function sources(dir: string): { file: string; text: string }[] {
  return fs
    .readdirSync(path.join(ROOT, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: `${dir}/${f}`, text: fs.readFileSync(path.join(ROOT, dir, f), 'utf8') }));
}

/** The module specifiers a source imports (static and dynamic). */
function imports(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)'([^']+)'/g)].map((m) => m[1]);
}

describe('layers', () => {
  for (const dir of ['src/sql', 'src/model']) {
    it(`${dir} imports neither vscode nor src/views`, () => {
      const bad = sources(dir).flatMap(({ file, text }) => imports(text).filter((s) => s === 'vscode' || /(^|\/)views\//.test(s)).map((s) => `${file}: ${s}`));
      assert.deepEqual(bad, []);
    });
  }

  it('the catalog trusts conformed records: no typeof re-checks of API values in src/sql/catalog.ts', () => {
    const text = fs.readFileSync(path.join(ROOT, 'src/sql/catalog.ts'), 'utf8');
    assert.doesNotMatch(text, /typeof\s+\w+\s*===/);
  });
});
