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

// Through the whole extension (bootstrap.js and content/) in the fake Zotero 10: the item menu's
// Mark as … and the Tools menu's re-judge, against a stand-in helper.
const { start, waitFor, finished, stubHelper } = require('../support/glue.js');

test('Zotero 10: Mark as irrelevant from the item menu sends the correction; re-judge previews and runs a job over the affected items', async () => {
	const prompts = [];
	const { zotero, log, scope } = await start({ version: '10.0', timeScale: 100, prompt: () => {
		prompts.push(true);
		return true;
	} });
	let jobState = 'running';
	const status = () => ({ id: '9', state: jobState, total: 1, done: jobState === 'running' ? 0 : 1, rate: 1, eta_seconds: null,
		counts: {}, topics: {}, changes: 0, user_edited: 0, read_only: 0, errors: 0, error: null });
	const stub = stubHelper(zotero, (method, route, body) => {
		if (route === '/v1/feedback') return { feedback_id: 1, feedback_count: 1 };
		if (route === '/v1/personal/affected') {
			return { judge: 'sieve-local m + personal 1 corrections h', total: 2, affected: 1,
				items: [{ libraryID: 1, key: 'B', verdict: 'irrelevant', tagged: 'relevant' }] };
		}
		if (method === 'POST' && route === '/v1/jobs') return { ...status(), scope: body };
		if (route.includes('/plan')) {
			jobState = 'done';
			return { entries: [], next_cursor: '0', complete: true };
		}
		return status();
	});
	const item = zotero.seed({ itemType: 'journalArticle', key: 'A', title: 'A paper', tags: [{ tag: 'sieve/relevant', type: 1 }] });
	const shown = log.menus.show('main/library/item', { items: [item] });
	await log.menus.click(shown.find(r => r.label === 'Sieve: Mark as irrelevant'));
	await waitFor(() => stub.requests.some(r => r.route === '/v1/feedback'), 5000, 'the correction');
	assert.deepEqual(item.getTags(), [{ tag: 'sieve/irrelevant' }]); // manual: Zotero leaves out type 0
	assert.equal(stub.requests.find(r => r.route === '/v1/feedback').body.verdict, 'irrelevant');
	const tools = log.menus.show('main/menubar/tools');
	await log.menus.click(tools.find(r => r.label === 'Re-judge items your Sieve corrections change…'));
	await waitFor(() => finished(log).length >= 1, 5000, 'the job summary');
	assert.deepEqual(stub.requests.find(r => r.route === '/v1/personal/affected').body, { scope: 'library', libraryID: 1 });
	assert.deepEqual(stub.requests.find(r => r.route === '/v1/jobs').body.items, [{ libraryID: 1, key: 'B' }]);
	assert.equal(prompts.length, 1, 'the count was confirmed first');
	assert.match(finished(log).at(-1).descriptions.join('\n'), /^done: 1 of 1 items/m);
	assert.deepEqual(log.menus.problems, []);
	scope.shutdown({}, 4);
	stub.remove();
});
