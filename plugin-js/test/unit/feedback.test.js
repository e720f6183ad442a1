'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { TagFeedback, feedbackFor } = require('../../content/lib/feedback.js');
const { InFlight } = require('../../content/lib/inflight.js');
const { applyPlans } = require('../../content/lib/apply.js');
const { FakeZotero } = require('../support/fake_zotero.js');

function setup() {
	const z = new FakeZotero();
	const sent = [];
	const inFlight = new InFlight({ graceMs: 0 });
	const fb = new TagFeedback({
		Zotero: z, client: () => ({ feedback: async (b) => {
			sent.push(b); return {};
		} }),
		prefix: () => 'sieve/', inFlight, delayMs: 0, setTimeout: fn => fn(),
	});
	z.Notifier.registerObserver(fb, ['item-tag'], 'test');
	return { z, sent, inFlight, fb };
}

test('a hand-made verdict tag is sent with the topics', async () => {
	const { z, sent, fb } = setup();
	const item = z.seed({ itemType: 'journalArticle', key: 'A', title: 'T', tags: [{ tag: 'sieve/topic/X', type: 1 }] });
	item.addTag('sieve/application', 0);
	item.addTag('unrelated', 0);
	await item.saveTx();
	await fb.flush();
	assert.deepEqual(sent, [{ libraryID: 1, key: 'A', verdict: 'application', topics: ['X'], title: 'T', abstract: '' }]);
});

test('the extension\'s own changes and unprefixed tags are ignored', async () => {
	const { z, sent, inFlight, fb } = setup();
	z.seed({ itemType: 'journalArticle', key: 'A', title: 'T' });
	const slow = new InFlight({ graceMs: 5 });
	fb.ctx.inFlight = slow;
	await applyPlans([{ libraryID: 1, key: 'A', plan: { add_tags: [{ tag: 'sieve/relevant', type: 1 }], remove_tags: [],
		note: { action: 'keep' } } }], { Zotero: z, prefix: 'sieve/', inFlight: slow });
	await fb.flush();
	assert.deepEqual(sent, []);
	fb.ctx.inFlight = inFlight;
	const item = z.Items._byKey(1, 'A');
	item.addTag('mine', 0);
	await item.saveTx();
	await fb.flush();
	assert.deepEqual(sent, []);
});

test('no single verdict, no feedback', () => {
	const item = { libraryID: 1, key: 'A', getField: () => '', getTags: () => [{ tag: 'sieve/relevant' }, { tag: 'sieve/irrelevant' }] };
	assert.equal(feedbackFor(item, 'sieve/'), null);
});
