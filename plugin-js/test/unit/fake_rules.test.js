'use strict';

// The fake Zotero refuses what real Zotero refuses (test/support/: each rule names the Zotero
// file it comes from), so a test that passes against it does not pass by the fake's kindness.
const test = require('node:test');
const assert = require('node:assert/strict');
const { FakeZotero } = require('../support/fake_zotero.js');
const { FakeMenuManager } = require('../support/fake_menus.js');

test('transactions: one at a time, never nested; a rollback drops the writes and their events', async () => {
	const z = new FakeZotero();
	const item = z.seed({ itemType: 'journalArticle', key: 'A', title: 't' });
	await assert.rejects(z.DB.executeTransaction(async () => {
		await z.DB.executeTransaction(async () => {});
	}), /inside a transaction/);
	const order = [];
	await Promise.all([
		z.DB.executeTransaction(async () => {
			order.push('a1');
			await new Promise(r => setTimeout(r, 20));
			order.push('a2');
		}),
		z.DB.executeTransaction(async () => {
			order.push('b');
		}),
	]);
	assert.deepEqual(order, ['a1', 'a2', 'b']);
	const seen = [];
	z.Notifier.registerObserver({ notify: (...args) => seen.push(args) }, ['item-tag'], 't');
	await assert.rejects(z.DB.executeTransaction(async () => {
		item.addTag('x');
		await item.save();
		throw new Error('no');
	}), /no/);
	assert.deepEqual(item.getTags(), []);
	assert.deepEqual(seen, []);
});

test('save() outside a transaction is logged as Zotero logs it; a save with no change sends nothing', async () => {
	const z = new FakeZotero();
	const item = z.seed({ itemType: 'journalArticle', key: 'A', title: 't' });
	item.addTag('x');
	await item.save();
	assert.match(String(z.errors[0]), /without a wrapping transaction -- use saveTx\(\) instead/);
	const before = z.Notifier.delivered.length;
	assert.equal(await item.saveTx(), false);
	assert.equal(z.Notifier.delivered.length, before);
});

test('tags: types 0 and 1 only, names trimmed; item-tag events are <itemID>-<tagID>', async () => {
	const z = new FakeZotero();
	const item = z.seed({ itemType: 'journalArticle', key: 'A', title: 't' });
	assert.throws(() => item.addTag('x', 2), /must be 0 or 1/);
	item.addTag('  spaced  ', 1);
	assert.deepEqual(item.getTags(), [{ tag: 'spaced', type: 1 }]);
	const seen = [];
	z.Notifier.registerObserver({ notify: (e, t, ids, extra) => seen.push({ e, ids, extra }) }, ['item-tag'], 't');
	await item.saveTx();
	assert.match(seen[0].ids[0], /^\d+-\d+$/);
	assert.deepEqual(seen[0].extra[seen[0].ids[0]], { libraryID: 1, tag: 'spaced', type: 1 });
	assert.throws(() => z.Notifier.registerObserver({ notify() {} }, ['items']), /Invalid type/);
});

test('notes: setNote() strips control characters and trims; getNote() only on notes', () => {
	const z = new FakeZotero();
	const note = new z.Item('note');
	note.setNote('  <p>a\u0001b</p>\n');
	assert.equal(note.getNote(), '<p>ab</p>');
	const item = z.seed({ itemType: 'journalArticle', key: 'A', title: 't' });
	assert.throws(() => item.getNote(), /only be called on notes/);
	assert.throws(() => note.getNotes(), /cannot be called on items of type 'note'/);
});

test('sync: skipAutoSync is an event-level option, at the top of extraData', async () => {
	const z = new FakeZotero();
	const seen = [];
	z.Notifier.registerObserver({ notify: (e, t, ids, extra) => seen.push(extra) }, ['item'], 't');
	const item = await z.syncIn({ itemType: 'journalArticle', title: 'x' });
	assert.deepEqual(seen, [{ [item.id]: { skipRenameFile: true, skipSelect: true }, skipAutoSync: true }]);
});

test('MenuManager: unknown targets, top-level separators on the item menu, bad types are refused', () => {
	const debug = [];
	const m = new FakeMenuManager({ version: 8, debug: s => debug.push(s), label: () => 'x' });
	const base = { pluginID: 'p@x', menuID: 'm' };
	assert.equal(m.registerMenu({ ...base, target: 'main/nowhere', menus: [{ menuType: 'menuitem' }] }), false);
	assert.equal(m.registerMenu({ ...base, target: 'main/library/item', menus: [{ menuType: 'separator' }, { menuType: 'menuitem' }] }), false);
	assert.match(debug.at(-1), /top-level separators are not allowed for target main\/library\/item/);
	assert.equal(m.registerMenu({ ...base, target: 'main/menubar/tools', menus: [{ menuType: 'menuitem', l10nID: 3 }] }), false);
	assert.equal(m.registerMenu({ ...base, target: 'main/menubar/tools', menus: [] }), false);
	const id = m.registerMenu({ ...base, target: 'main/menubar/tools', menus: [{ menuType: 'separator' }, { menuType: 'menuitem' }] });
	assert.equal(id, 'p\\@x-m');
	assert.equal(m.registerMenu({ ...base, target: 'main/menubar/tools', menus: [{ menuType: 'menuitem' }] }), false, 'unique');
	assert.equal(m.unregisterMenu(id), true);
});
