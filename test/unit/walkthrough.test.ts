import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

// out/test/unit -> repository root.
const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string | Record<string, string>; svg?: string };
  completionEvents?: string[];
}
interface Manifest {
  publisher: string;
  name: string;
  contributes: { commands: { command: string }[]; walkthroughs: { id: string; title: string; steps: Step[] }[] };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
const walkthrough = manifest.contributes.walkthroughs.find((w) => w.id === 'cleanRooms.gettingStarted');

/** A %key% placeholder as package.nls.json fills it in. */
function localized(value: string): string {
  const key = /^%(.+)%$/.exec(value)?.[1];
  return key === undefined ? value : nls[key];
}

/** The commands a text runs through links: [label](command:id) or command:id?args. */
function linkedCommands(text: string): string[] {
  return [...text.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]);
}

describe('the getting-started walkthrough (contributes.walkthroughs)', () => {
  it('is titled "Get started with Clean Rooms Explorer" and walks through profile, memberships, open, query, results', () => {
    assert.ok(walkthrough, 'walkthrough cleanRooms.gettingStarted');
    assert.equal(localized(walkthrough.title), 'Get started with Clean Rooms Explorer');
    assert.deepEqual(
      walkthrough.steps.map((s) => s.id),
      ['profile', 'memberships', 'open', 'query', 'results'].map((s) => `cleanRooms.gettingStarted.${s}`),
    );
    for (const step of walkthrough.steps) {
      assert.ok(localized(step.title), `${step.id}: a title in package.nls.json`);
      assert.ok(localized(step.description), `${step.id}: a description in package.nls.json`);
    }
  });

  it('references only commands the extension contributes (or the workbench owns), in buttons and completion events', () => {
    assert.ok(walkthrough);
    const ours = new Set(manifest.contributes.commands.map((c) => c.command));
    const referenced = walkthrough.steps.flatMap((s) => [
      ...linkedCommands(localized(s.description)),
      ...(s.completionEvents ?? []).filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length)),
    ]);
    for (const wanted of ['cleanRooms.selectProfile', 'cleanRooms.addMembership', 'cleanRooms.discoverMemberships', 'cleanRooms.openMembership', 'cleanRooms.newQuery', 'cleanRooms.insertExampleQuery']) {
      assert.ok(referenced.includes(wanted), `the walkthrough offers ${wanted}`);
    }
    for (const id of referenced) {
      assert.ok(ours.has(id) || id.startsWith('workbench.'), `${id} is in contributes.commands`);
    }
    const viewContainer = 'workbench.view.extension.cleanRooms';
    if (referenced.includes(viewContainer)) {
      const containers = (manifest.contributes as unknown as { viewsContainers: { activitybar: { id: string }[] } }).viewsContainers.activitybar.map((c) => c.id);
      assert.ok(containers.includes('cleanRooms'), 'the sidebar link names our view container');
    }
  });

  it('has a media file for every step, local and packaged (no remote images)', () => {
    assert.ok(walkthrough);
    const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8');
    assert.ok(ignore.split(/\r?\n/).includes('!media/walkthrough/*.md'), '.vscodeignore packages the walkthrough markdown');
    for (const step of walkthrough.steps) {
      const file = step.media.markdown;
      assert.ok(file, `${step.id}: markdown media`);
      assert.match(file, /^media\/walkthrough\/[\w-]+\.md$/);
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      assert.ok(text.startsWith('# '), `${file} starts with a heading`);
      assert.doesNotMatch(text, /!\[[^\]]*\]\(https?:|<img\b|src=["']https?:/i, `${file}: no remote images`);
    }
  });
});
