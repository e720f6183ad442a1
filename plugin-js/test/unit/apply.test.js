'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { applyPlans } = require('../../content/lib/apply.js');
const { InFlight } = require('../../content/lib/inflight.js');
const { FakeZotero } = require('../support/fake_zotero.js');

const NOTE = '<div data-sieve-note="1" data-sieve-hash="h1"><p>old</p></div>';
const opts = z => ({ Zotero: z, prefix: 'sieve/', tagType: 1, writeNotes: true });
const plan = (add = [], remove = [], note = { action: 'keep' }) => ({
	add_tags: add.map(tag => ({ tag, type: 1 })), remove_tags: remove.map(([tag, type]) => ({ tag, type })), note,
});
const tags = item => item.tags.map(t => `${t.tag}|${t.type}`).sort();

test('tags: only prefixed ones, never retyped, only automatic ones removed', async () => {
	const z = new FakeZotero();
	const item = z.seed({ itemType: 'journalArticle', key: 'K1', title: 't', tags: [
		{ tag: 'sieve/relevant', type: 0 },
		{ tag: 'sieve/topic/Old', type: 1 },
		{ tag: 'sieve/topic/Mine', type: 0 },
		{ tag: 'keep-me', type: 1 },
	] });
	const s = await applyPlans([{ libraryID: 1, key: 'K1', plan: plan(
		['sieve/relevant', 'sieve/topic/New', 'other'],
		[['sieve/relevant', 0], ['sieve/topic/Old', 1], ['sieve/topic/Mine', 0], ['keep-me', 1]],
	) }], opts(z));
	assert.deepEqual(tags(item), ['keep-me|1', 'sieve/relevant|0', 'sieve/topic/Mine|0', 'sieve/topic/New|1']);
	assert.equal(s.tagsAdded, 1);
	assert.equal(s.tagsRemoved, 1);
	assert.equal(s.changed, 1);
});

test('manual tag type on request', async () => {
	const z = new FakeZotero();
	const item = z.seed({ itemType: 'journalArticle', key: 'K1', title: 't' });
	await applyPlans([{ libraryID: 1, key: 'K1', plan: plan(['sieve/irrelevant']) }], { ...opts(z), tagType: 0 });
	assert.deepEqual(tags(item), ['sieve/irrelevant|0']);
});

test('notes: created once, replaced or deleted only when unchanged since planning', async () => {
	const z = new FakeZotero();
	const item = z.seed({ itemType: 'journalArticle', key: 'K1', title: 't' });
	const s1 = await applyPlans([{ libraryID: 1, key: 'K1', plan: plan([], [], { action: 'create', html: NOTE }) }], opts(z));
	assert.equal(s1.notesCreated, 1);
	const again = await applyPlans([{ libraryID: 1, key: 'K1', plan: plan([], [], { action: 'create', html: NOTE }) }], opts(z));
	assert.equal(again.notesCreated, 0);
	assert.equal(item.getNotes().length, 1);
	const note = z.Items.get(item.getNotes()[0]);
	const replace = { action: 'replace', key: note.key, html: '<div data-sieve-note="1"><p>new</p></div>' };
	const noBasis = await applyPlans([{ libraryID: 1, key: 'K1', plan: plan([], [], replace) }], opts(z));
	assert.equal(noBasis.conflicts, 1);
	const stale = await applyPlans([{ libraryID: 1, key: 'K1', plan: plan([], [], replace),
		basis: new Map([[note.key, 'something else']]) }], opts(z));
	assert.equal(stale.conflicts, 1);
	assert.equal(note.getNote(), NOTE);
	const ok = await applyPlans([{ libraryID: 1, key: 'K1', plan: plan([], [], replace),
		basis: new Map([[note.key, NOTE]]) }], opts(z));
	assert.equal(ok.notesReplaced, 1);
	assert.equal(note.getNote(), replace.html);
	const noWrite = await applyPlans([{ libraryID: 1, key: 'K1', plan: plan([], [], { action: 'create', html: NOTE }) }],
		{ ...opts(z), writeNotes: false });
	assert.equal(noWrite.changed, 0);
	const del = await applyPlans([{ libraryID: 1, key: 'K1', plan: plan([], [], { action: 'delete', key: note.key }),
		basis: new Map([[note.key, replace.html]]) }], opts(z));
	assert.equal(del.notesDeleted, 1);
	assert.equal(item.getNotes().length, 0);
});

test('chunks of at most 100 items per transaction; deleted items skipped', async () => {
	const z = new FakeZotero();
	const entries = [];
	for (let i = 0; i < 250; i++) {
		z.seed({ itemType: 'journalArticle', key: `K${i}`, title: 't' });
		entries.push({ libraryID: 1, key: `K${i}`, plan: plan(['sieve/relevant']) });
	}
	z.Items.get(1).deleted = true;
	entries.push({ libraryID: 1, key: 'GONE', plan: plan(['sieve/relevant']) });
	const s = await applyPlans(entries, opts(z));
	assert.equal(z.stats.transactions, 3);
	assert.equal(z.stats.maxSavesPerTx, 100);
	assert.equal(s.changed, 249);
	assert.equal(s.missing, 2);
});

test('a failing transaction leaves its chunk untouched and is reported', async () => {
	const z = new FakeZotero();
	for (let i = 0; i < 3; i++) z.seed({ itemType: 'journalArticle', key: `K${i}`, title: 't' });
	const before = z.state();
	const inFlight = new InFlight({ graceMs: 0 });
	const entries = [0, 1, 2].map(i => ({ libraryID: 1, key: `K${i}`, plan: plan(['sieve/relevant']) }));
	const real = z._save.bind(z);
	let n = 0;
	z._save = async (item) => {
		if (++n === 3) throw new Error('disk full');
		return real(item);
	};
	const s = await applyPlans(entries, { ...opts(z), inFlight });
	assert.equal(s.errors.length, 3);
	assert.deepEqual(z.state(), before);
	assert.equal(inFlight.counts.size, 0);
});

test('read-only entries (plan null) are counted and skipped', async () => {
	const z = new FakeZotero();
	z.seed({ itemType: 'journalArticle', key: 'K1', title: 't' });
	const s = await applyPlans([{ libraryID: 1, key: 'K1', plan: null }], opts(z));
	assert.equal(s.readOnly, 1);
	assert.equal(s.changed, 0);
});
