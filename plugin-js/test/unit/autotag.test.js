'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { AutoTagger } = require('../../content/lib/autotag.js');
const { FakeZotero } = require('../support/fake_zotero.js');

/** Manual timers: run() fires the pending callback. */
function timers() {
	const queue = [];
	return {
		setTimeout: (fn) => {
			queue.push(fn);
			return queue.length;
		},
		clearTimeout: () => queue.splice(0),
		async run() {
			const fn = queue.shift();
			assert.ok(fn, 'a timer is pending');
			fn();
		},
		get pending() {
			return queue.length;
		},
	};
}

function setup({ enabled = true } = {}) {
	const z = new FakeZotero();
	const t = timers();
	const processed = [];
	let now = 0;
	const tagger = new AutoTagger({
		Zotero: z, isEnabled: () => enabled, delayMs: 10, maxWaitMs: 1000, now: () => now,
		setTimeout: t.setTimeout, clearTimeout: t.clearTimeout,
		process: async (items) => {
			processed.push(items.map(i => i.key));
		},
	});
	z.Notifier.registerObserver(tagger, ['item'], 'test');
	const tick = async (advance = 10) => {
		now += advance;
		await t.run();
		await tagger.idle;
	};
	return { z, t, tagger, processed, tick, advance: (ms) => {
		now += ms;
	} };
}

test('an item is processed once title and abstract are unchanged across two checks', async () => {
	const { z, t, processed, tick } = setup();
	const a = z.seed({ itemType: 'journalArticle', key: 'A' }, { notify: true });
	const b = z.seed({ itemType: 'journalArticle', key: 'B', title: 'B title' }, { notify: true });
	await tick(); // first look: A has no title, B is seen
	a.setField('title', 'A title');
	await tick(); // B settled; A seen with its title
	assert.deepEqual(processed, [['B']]);
	a.setField('abstractNote', 'filled in late');
	await tick(); // A changed again
	assert.deepEqual(processed, [['B']]);
	await tick();
	assert.deepEqual(processed, [['B'], ['A']]);
	assert.equal(t.pending, 0);
	assert.ok(b);
});

test('items from sync, feed items and non-regular items are never processed', async () => {
	const { z, t, processed, tick } = setup();
	z.seed({ itemType: 'journalArticle', key: 'S', title: 'synced' }, { notify: true, skipAutoSync: true });
	const feed = z.seed({ itemType: 'journalArticle', key: 'F', title: 'feed' });
	feed.isFeedItem = true;
	z.Notifier.trigger('add', 'item', [feed.id], {});
	z.seed({ itemType: 'note', key: 'N', note: 'x' }, { notify: true });
	z.seed({ itemType: 'attachment', key: 'T', title: 'pdf' }, { notify: true });
	await tick();
	assert.equal(t.pending, 0);
	assert.deepEqual(processed, []);
});

test('nothing happens while auto-tagging is off; an item without a title is dropped after maxWait', async () => {
	const off = setup({ enabled: false });
	off.z.seed({ itemType: 'journalArticle', key: 'A', title: 't' }, { notify: true });
	assert.equal(off.t.pending, 0);
	const { z, t, processed, tick } = setup();
	z.seed({ itemType: 'journalArticle', key: 'E' }, { notify: true });
	await tick();
	await tick(2000);
	assert.equal(t.pending, 0);
	assert.deepEqual(processed, []);
});

test('stop() forgets pending items', () => {
	const { z, tagger } = setup();
	z.seed({ itemType: 'journalArticle', key: 'A', title: 't' }, { notify: true });
	tagger.stop();
	assert.equal(tagger.pending.size, 0);
});
