'use strict';

// lib/personal.js against the fake Zotero: Sieve → Mark as … edits the verdict tags as the user
// would (and so sends the correction through the tag notifier), and the re-judge preview turns
// POST /v1/personal/affected into the items scope of a bulk job.
const test = require('node:test');
const assert = require('node:assert/strict');
const { markAs, affectedScope } = require('../../content/lib/personal.js');
const { TagFeedback } = require('../../content/lib/feedback.js');
const { InFlight } = require('../../content/lib/inflight.js');
const { FakeZotero } = require('../support/fake_zotero.js');

function setup() {
	const z = new FakeZotero();
	const sent = [];
	const fb = new TagFeedback({
		Zotero: z, client: () => ({ feedback: async (b) => {
			sent.push(b); return {};
		} }),
		prefix: () => 'sieve/', inFlight: new InFlight({ graceMs: 0 }), delayMs: 0, setTimeout: fn => fn(),
	});
	z.Notifier.registerObserver(fb, ['item-tag'], 'test');
	return { z, sent, fb };
}

const tagsOf = (/** @type {any} */ item) => item.getTags().map((/** @type {any} */ t) => `${t.tag}:${t.type || 0}`).sort();

test('Mark as irrelevant replaces the Sieve verdict tag and sends the correction', async () => {
	const { z, sent, fb } = setup();
	const item = z.seed({ itemType: 'journalArticle', key: 'A', title: 'Policy gradients', abstract: 'RL.',
		tags: [{ tag: 'sieve/relevant', type: 1 }, { tag: 'sieve/topic/X', type: 1 }, { tag: 'mine', type: 0 }] });
	assert.equal(await markAs([item], 'irrelevant', 'sieve/'), 1);
	await fb.flush();
	assert.deepEqual(tagsOf(item), ['mine:0', 'sieve/irrelevant:0', 'sieve/topic/X:1']);
	assert.deepEqual(sent.at(-1), { libraryID: 1, key: 'A', verdict: 'irrelevant', topics: ['X'],
		title: 'Policy gradients', abstract: 'RL.' });
});

test('an item already marked so, notes and unknown verdicts are left alone', async () => {
	const { z, sent, fb } = setup();
	const item = z.seed({ itemType: 'journalArticle', key: 'B', title: 'T', tags: [{ tag: 'sieve/application', type: 0 }] });
	const note = z.seed({ itemType: 'note', key: 'N', parentKey: 'B', note: '<p>x</p>' });
	assert.equal(await markAs([item, note], 'application', 'sieve/'), 0);
	await fb.flush();
	assert.deepEqual(sent, []);
	assert.deepEqual(tagsOf(item), ['sieve/application:0']);
	await assert.rejects(markAs([item], 'maybe', 'sieve/'), /not a verdict/);
	// An automatic tag of the same verdict becomes the user's (manual): it is their statement now.
	const auto = z.seed({ itemType: 'journalArticle', key: 'C', title: 'T', tags: [{ tag: 'sieve/relevant', type: 1 }] });
	assert.equal(await markAs([auto], 'relevant', 'sieve/'), 1);
	assert.deepEqual(tagsOf(auto), ['sieve/relevant:0']);
});

test('the re-judge preview names the affected items as a bulk job scope', async () => {
	const calls = [];
	const client = { personalAffected: async (/** @type {any} */ s) => {
		calls.push(s);
		return { judge: 'sieve-local m + personal 3 corrections h', total: 10, affected: 2,
			items: [{ libraryID: 1, key: 'A', verdict: 'relevant', tagged: 'irrelevant' },
				{ libraryID: 1, key: 'B', verdict: 'irrelevant', tagged: 'relevant' }] };
	} };
	const p = await affectedScope(/** @type {any} */ (client), 1);
	assert.deepEqual(calls, [{ scope: 'library', libraryID: 1 }]);
	assert.equal(p.affected, 2);
	assert.equal(p.total, 10);
	assert.deepEqual(p.scope, { scope: 'items', items: [{ libraryID: 1, key: 'A' }, { libraryID: 1, key: 'B' }] });
});
