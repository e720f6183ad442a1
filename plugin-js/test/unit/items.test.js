'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { batches, utf8Length, toInlineItem, noteBasis } = require('../../content/lib/items.js');
const { FakeZotero } = require('../support/fake_zotero.js');

test('utf8Length counts bytes', () => {
	assert.equal(utf8Length('abc'), 3);
	assert.equal(utf8Length('é'), 2);
	assert.equal(utf8Length('€'), 3);
	assert.equal(utf8Length('😀'), 4);
});

test('batches respect the item count and the byte budget, in order', () => {
	const items = Array.from({ length: 2500 }, (_, i) => ({ title: `t${i}`, abstract: 'x'.repeat(10) }));
	const byCount = batches(items);
	assert.deepEqual(byCount.map(b => b.length), [1000, 1000, 500]);
	assert.deepEqual(byCount.flat(), items);
	const big = Array.from({ length: 50 }, (_, i) => ({ title: `t${i}`, abstract: 'é'.repeat(50000) }));
	const bySize = batches(big);
	for (const b of bySize) assert.ok(utf8Length(JSON.stringify({ items: b })) <= 900 * 1024);
	assert.deepEqual(bySize.flat(), big);
	assert.deepEqual(batches([]), []);
});

test('an item is described with its identity, fields, tags and notes', async () => {
	const z = new FakeZotero();
	const item = z.seed({ itemType: 'conferencePaper', key: 'AAAA1111', title: 'T', abstract: 'A',
		tags: [{ tag: 'x', type: 0 }, { tag: 'sieve/relevant', type: 1 }] });
	item.setField('proceedingsTitle', 'Proc');
	z.seed({ itemType: 'note', key: 'NOTE1111', parentKey: 'AAAA1111', note: '<p>hi</p>' });
	const inline = await toInlineItem(z, item);
	assert.deepEqual(inline, {
		libraryID: 1, key: 'AAAA1111', title: 'T', abstract: 'A', itemType: 'conferencePaper', venue: 'Proc',
		tags: [{ tag: 'x', type: 0 }, { tag: 'sieve/relevant', type: 1 }], notes: [{ key: 'NOTE1111', html: '<p>hi</p>' }],
	});
	const bare = await toInlineItem(z, item, { withMetadata: false });
	assert.equal(bare.title, undefined);
	assert.equal(noteBasis([inline]).get('1/AAAA1111').get('NOTE1111'), '<p>hi</p>');
});

test('an item too big on its own is shrunk, its Sieve note kept whole', async () => {
	const z = new FakeZotero();
	const item = z.seed({ itemType: 'journalArticle', key: 'BIG', title: 'T', abstract: 'a'.repeat(300000) });
	for (let i = 0; i < 100; i++) z.seed({ itemType: 'note', key: `N${i}`, parentKey: 'BIG', note: 'n'.repeat(5000) });
	const sieveNote = `<div data-sieve-note="1">${'s'.repeat(10000)}</div>`;
	z.seed({ itemType: 'note', key: 'SIEVE', parentKey: 'BIG', note: sieveNote });
	const inline = await toInlineItem(z, item);
	assert.ok(utf8Length(JSON.stringify(inline)) <= 256 * 1024);
	assert.equal(inline.notes.length, 101);
	assert.equal(inline.notes.find(n => n.key === 'SIEVE').html, sieveNote);
});
