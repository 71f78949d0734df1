import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyChange, bindingEdit, parseBinding } from '../../src/queries/binding';

const ID = '3f6c1a2e-8b4d-4e7f-9a1c-5d2e7b8f0a11';
const OTHER = '7d0e4b59-2c13-4f8a-b6e2-91c4a8d3f5b2';

describe('the @membership binding', () => {
  it('reads the binding comment at the top', () => {
    const b = parseBinding(`-- @membership ${ID}\nSELECT 1`);
    assert.equal(b.kind, 'bound');
    assert.equal(b.kind === 'bound' && b.membershipId, ID);
  });

  it('tolerates spacing, the case of @membership, and an upper-case ID', () => {
    for (const line of [`--@membership ${ID}`, `  --   @MEMBERSHIP   ${ID}  `, `-- @Membership: ${ID.toUpperCase()}`, `\t-- @membership\t${ID}\r`]) {
      const b = parseBinding(`${line}\nSELECT 1`);
      assert.equal(b.kind === 'bound' && b.membershipId, ID, line);
    }
  });

  it('reads it after other comments and blank lines, block comments included', () => {
    const b = parseBinding(`-- Query for the team\n\n/* notes;\n   more notes */\n-- @membership ${ID}\nSELECT 1`);
    assert.equal(b.kind === 'bound' && b.membershipId, ID);
  });

  it('is no binding after the first statement', () => {
    assert.equal(parseBinding(`SELECT 1;\n-- @membership ${ID}\n`).kind, 'none');
    assert.equal(parseBinding(`/* x */ SELECT 1\n-- @membership ${ID}\n`).kind, 'none');
    assert.equal(parseBinding(`SELECT 1 -- @membership ${ID}\n`).kind, 'none');
  });

  it('is no binding inside a block comment', () => {
    assert.equal(parseBinding(`/*\n-- @membership ${ID}\n*/\nSELECT 1`).kind, 'none');
  });

  it('is no binding for another word that starts with @membership', () => {
    assert.equal(parseBinding(`-- @memberships ${ID}\nSELECT 1`).kind, 'none');
  });

  it('reports a value that is not a membership ID as a problem, not as a binding', () => {
    for (const [value, problem] of [
      ['not-a-uuid', /not a membership ID/],
      ['', /names no membership ID/],
      [`arn:aws:cleanrooms:us-east-1:1:membership/${ID}`, /ARN/],
      [`${ID} extra`, /not a membership ID/],
    ] as const) {
      const b = parseBinding(`-- @membership ${value}\nSELECT 1`);
      assert.equal(b.kind, 'invalid', value);
      assert.match(b.kind === 'invalid' ? b.problem : '', problem);
    }
  });

  it('takes the first binding when there are two', () => {
    const b = parseBinding(`-- @membership ${ID}\n-- @membership ${OTHER}\nSELECT 1`);
    assert.equal(b.kind === 'bound' && b.membershipId, ID);
  });

  it('covers the line without its CRLF', () => {
    const text = `-- header\r\n-- @membership ${ID}\r\nSELECT 1`;
    const b = parseBinding(text);
    assert.ok(b.kind === 'bound');
    assert.equal(text.slice(b.start, b.end), `-- @membership ${ID}`);
  });
});

describe('binding a document', () => {
  it('inserts the comment at the top of an unbound document', () => {
    assert.equal(applyChange('SELECT 1;', bindingEdit('SELECT 1;', ID)), `-- @membership ${ID}\nSELECT 1;`);
  });

  it('keeps CRLF line breaks', () => {
    assert.equal(applyChange('SELECT 1;\r\n', bindingEdit('SELECT 1;\r\n', ID)), `-- @membership ${ID}\r\nSELECT 1;\r\n`);
  });

  it('rewrites an existing binding in place, valid or not', () => {
    const text = `-- title\r\n  -- @MEMBERSHIP ${ID}\r\nSELECT 1`;
    assert.equal(applyChange(text, bindingEdit(text, OTHER)), `-- title\r\n-- @membership ${OTHER}\r\nSELECT 1`);
    const broken = '-- @membership oops\nSELECT 1';
    assert.equal(applyChange(broken, bindingEdit(broken, OTHER)), `-- @membership ${OTHER}\nSELECT 1`);
  });

  it('inserts a new binding at the top when the only one comes after a statement', () => {
    const text = `SELECT 1;\n-- @membership ${ID}\n`;
    const bound = applyChange(text, bindingEdit(text, OTHER));
    assert.ok(bound.startsWith(`-- @membership ${OTHER}\nSELECT 1;`));
    const b = parseBinding(bound);
    assert.equal(b.kind === 'bound' && b.membershipId, OTHER);
  });
});
