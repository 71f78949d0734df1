import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locateJsonValue } from '../../src/util/jsonLocation';

/** The text a located range covers. */
function at(text: string, path: Array<string | number>): string | undefined {
  const range = locateJsonValue(text, path);
  return range && text.slice(range.start, range.end);
}

describe('locating a value in a settings file', () => {
  const settings = `{
  // user comment with "cleanRooms.memberships": [ "decoy" ]
  "editor.fontSize": 14,
  /* block, with } and ] */ "cleanRooms.memberships": [
    "1f2e3d4c-5b6a-4789-8abc-0123456789ab",
    { "id": "not-a-uuid", "label": "with \\"quotes\\" and , ]" }, // trailing comment
    "arn:aws:cleanrooms:us-east-1:1:membership/x",
  ],
  "cleanRooms.requestTimeoutSeconds": "soon",
}`;

  it('finds the Nth element of cleanRooms.memberships past comments, escapes and trailing commas', () => {
    assert.equal(at(settings, ['cleanRooms.memberships', 0]), '"1f2e3d4c-5b6a-4789-8abc-0123456789ab"');
    assert.equal(at(settings, ['cleanRooms.memberships', 1]), '{ "id": "not-a-uuid", "label": "with \\"quotes\\" and , ]" }');
    assert.equal(at(settings, ['cleanRooms.memberships', 2]), '"arn:aws:cleanrooms:us-east-1:1:membership/x"');
    assert.equal(at(settings, ['cleanRooms.memberships', 3]), undefined);
    assert.equal(at(settings, ['cleanRooms.requestTimeoutSeconds']), '"soon"');
    assert.equal(at(settings, ['editor.fontSize']), '14');
  });

  it('follows a nested path (a .code-workspace file keeps settings under "settings"); the last of two equal keys wins', () => {
    const workspace = '{ "folders": [{ "path": "." }], "settings": { "cleanRooms.memberships": ["a"], "cleanRooms.memberships": ["b", "c"] } }';
    assert.equal(at(workspace, ['settings', 'cleanRooms.memberships', 1]), '"c"');
    assert.equal(at(workspace, ['cleanRooms.memberships', 0]), undefined, 'not at the top level');
  });

  it('answers undefined for text it cannot read, or a path through the wrong kind of value', () => {
    assert.equal(at('{ "cleanRooms.memberships": [ "a", ', ['cleanRooms.memberships', 1]), undefined);
    assert.equal(at('{ "cleanRooms.memberships": "a" }', ['cleanRooms.memberships', 0]), undefined);
    assert.equal(at('', ['x']), undefined);
    assert.equal(at('{ /* unterminated', ['x']), undefined);
  });
});
