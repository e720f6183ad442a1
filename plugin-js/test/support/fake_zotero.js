// A stand-in for the Zotero object, limited to the data API the extension uses, that keeps the
// rules real Zotero keeps (own code, written from reading Zotero 7.0-10.0: xpcom/data/item.js,
// dataObject.js, tags.js, items.js, dataObjects.js; transactions and the notifier: fake_db.js):
// - save()/erase() belong in a transaction: outside one Zotero logs an error ("use saveTx()
//   instead") and wraps its own, so the fake records the error in `errors`; a save with no change
//   does nothing and sends no event;
// - tags: types 0 and 1 only (anything else throws), names trimmed, a type-0 tag has no `type`
//   in getTags(), addTag() of an existing name with another type retypes it; item-tag events are
//   `<itemID>-<tagID>` with { libraryID, tag, type };
// - notes: getNote()/setNote() only on notes (and attachments), setNote() strips control
//   characters and trims, getNotes() not on notes;
// - items read back with Items.get()/getAsync() (arrays skip missing ids), getAll(libraryID,
//   onlyTopLevel, includeDeleted).
// `version` makes it act as a Zotero release ('7.0', '8.0.5', '9.0.1', '10.0', ...): fake_chrome.js
// reads it for the window API (MenuManager, ZoteroPane, Fluent sources).
'use strict';

const { FakeDB, FakeNotifier } = require('./fake_db.js');
const { FakePrefs, fakeRequest } = require('./fake_http.js');

let nextKey = 1;
function makeKey() {
	return `FK${String(nextKey++).padStart(6, '0')}`;
}

/** Zotero.Tags.cleanData(): the checks and clean-up every tag goes through. */
function cleanTag(data) {
	if (data.tag === undefined) throw new Error("Tag data must contain 'tag' property");
	if (data.type !== undefined && data.type != 0 && data.type != 1) throw new Error("Tag 'type' must be 0 or 1");
	const tag = String(data.tag).trim().normalize();
	if (!tag) throw new Error('Tag cannot be empty');
	return { tag, type: data.type ? 1 : 0 };
}

class FakeItem {
	/** @param {FakeZotero} z @param {string} itemType */
	constructor(z, itemType) {
		this._z = z;
		this.itemType = itemType;
		this.id = 0;
		this._libraryID = null;
		this.key = null;
		this.deleted = false;
		this.isFeedItem = false;

		/** @type {string | false} */
		this._parentKey = false;

		/** @type {Record<string, string>} */
		this.fields = {};

		/** @type {{ tag: string, type: number }[]} */
		this.tags = [];
		this.savedTags = [];
		this.note = '';
		this._changed = true;
	}

	get libraryID() {
		return this._libraryID;
	}

	set libraryID(id) {
		if (this.id && id !== this._libraryID) throw new Error('Cannot change library ID of saved object');
		this._libraryID = id;
	}

	get parentKey() {
		return this._parentKey;
	}

	set parentKey(key) {
		if (this.isRegularItem() && key) throw new Error('Cannot set parent of a regular item');
		this._parentKey = key || false;
		this._changed = true;
	}

	get parentID() {
		const p = this._parentKey && this._z.Items._byKey(this.libraryID, this._parentKey);
		return p ? p.id : false;
	}

	get libraryKey() {
		return `${this.libraryID}/${this.key}`;
	}

	isRegularItem() {
		return !['note', 'attachment', 'annotation'].includes(this.itemType);
	}

	isNote() {
		return this.itemType === 'note';
	}

	/** @param {any} name @param {boolean} [_unformatted] @param {boolean} [baseMapped] */
	getField(name, _unformatted, baseMapped) {
		if (name === 'publicationTitle' && baseMapped) {
			return this.fields.publicationTitle || this.fields.proceedingsTitle || '';
		}
		return this.fields[name] || '';
	}

	/** @param {any} name @param {any} value */
	setField(name, value) {
		const v = value === undefined || value === null ? '' : String(value).trim();
		if ((this.fields[name] || '') === v) return false;
		this.fields[name] = v;
		this._changed = true;
		return true;
	}

	getTags() {
		return this.tags.map(t => (t.type ? { tag: t.tag, type: t.type } : { tag: t.tag }));
	}

	setTags(tags) {
		const next = tags.map(t => cleanTag(typeof t === 'string' ? { tag: t } : t));
		const key = list => JSON.stringify(list.map(t => `${t.type}\u0000${t.tag}`).sort());
		if (key(next) === key(this.tags)) return;
		this.tags = next;
		this._changed = true;
	}

	/** As Zotero: an existing tag of another type is retyped. */
	addTag(name, type) {
		type = type ? parseInt(type) : 0;
		const tags = this.tags.map(t => ({ ...t }));
		const same = tags.find(t => t.tag === name);
		if (same && same.type === type) return false;
		if (same) same.type = type;
		else tags.push({ tag: name, type });
		this.setTags(tags);
		return true;
	}

	removeTag(name) {
		if (!this.tags.some(t => t.tag === name)) return false;
		this.setTags(this.tags.filter(t => t.tag !== name));
		return true;
	}

	hasTag(name) {
		return this.tags.some(t => t.tag === name);
	}

	getNotes(includeTrashed) {
		if (this.isNote()) throw new Error("getNotes() cannot be called on items of type 'note'");
		return this._z._all().filter(i => i.isNote() && i.id && i.parentKey === this.key
			&& i.libraryID === this.libraryID && (includeTrashed || !i.deleted)).map(i => i.id);
	}

	getNote() {
		if (!this.isNote() && this.itemType !== 'attachment') {
			throw new Error(`getNote() can only be called on notes and attachments (${this.libraryKey} is a ${this.itemType})`);
		}
		return this.note;
	}

	setNote(text) {
		if (!this.isNote() && this.itemType !== 'attachment') throw new Error('updateNote() can only be called on notes and attachments');
		if (typeof text !== 'string') throw new Error(`text must be a string in Zotero.Item.setNote() (was ${typeof text})`);
		 
		const clean = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim();
		if (clean === this.note) return false;
		this.note = clean;
		this._changed = true;
		return true;
	}

	hasChanged() {
		return this._changed;
	}

	/** @param {{ notifierQueue?: any, skipSelect?: boolean, skipAutoSync?: boolean, notifierData?: any }} [options] */
	async save(options = {}) {
		return this._z._save(this, options);
	}

	async saveTx(options = {}) {
		return this._z.DB.executeTransaction(() => this.save(options));
	}

	async erase(options = {}) {
		return this._z._erase(this, options);
	}

	async eraseTx(options = {}) {
		return this._z.DB.executeTransaction(() => this.erase(options));
	}
}

class FakeZotero {
	/** @param {{ dataDir?: string, version?: string }} [opts] */
	constructor(opts = {}) {
		this.version = opts.version || '7.0.30';
		this.major = parseInt(this.version);

		/** @type {Map<number, FakeItem>} */
		this._items = new Map();
		this._nextID = 1;

		/** @type {Map<string, number>} */
		this._tagIDs = new Map();
		this.stats = { transactions: 0, maxSavesPerTx: 0, saves: 0, txSaves: 0 };

		/** @type {any[]} what Zotero.logError() received: a test expects none unless it says so */
		this.errors = [];
		const self = this; // eslint-disable-line consistent-this
		this.Item = function (itemType) {
			return new FakeItem(self, itemType);
		};
		this.Items = this._itemsAPI();

		/** @type {FakeDB & Pick<_ZoteroTypes.DB, 'executeTransaction'>} */
		this.DB = new FakeDB({
			snapshot: () => this._snapshot(), restore: s => this._restore(s), notifier: () => this.Notifier,
			onCommit: () => {
				this.stats.transactions++;
				this.stats.maxSavesPerTx = Math.max(this.stats.maxSavesPerTx, this.stats.txSaves);
				this.stats.txSaves = 0;
			},
		});

		/** @type {FakeNotifier & Pick<_ZoteroTypes.Notifier, 'registerObserver' | 'unregisterObserver' | 'trigger'>} */
		this.Notifier = new FakeNotifier({ logError: e => this.logError(e), inTransaction: () => this.DB.inTransaction() });

		/** @type {FakePrefs & Pick<typeof Zotero.Prefs, 'get' | 'set'>} */
		this.Prefs = new FakePrefs();

		/** @type {Pick<_ZoteroTypes.HTTP, 'request'>} */
		this.HTTP = { request: fakeRequest };
		this.DataDirectory = { dir: opts.dataDir || '/tmp/zotero' };
		this.Libraries = { userLibraryID: 1 };
		this.debug = () => {};
		this.logError = (e) => {
			this.errors.push(e);
		};
	}

	_itemsAPI() {
		const get = id => this._items.get(Number(id)) || false;
		return {
			get: ids => (Array.isArray(ids) ? ids.map(get).filter(Boolean) : get(ids)),
			getAsync: async ids => this.Items.get(ids),
			getByLibraryAndKeyAsync: async (libraryID, key) => this.Items._byKey(libraryID, key) || false,
			_byKey: (libraryID, key) => this._all().find(i => i.libraryID === libraryID && i.key === key),
			getAll: async (libraryID, onlyTopLevel, includeDeleted) => this._all().filter(i => i.libraryID === libraryID
				&& (includeDeleted || !i.deleted) && (!onlyTopLevel || !i.parentKey)),
		};
	}

	_all() {
		return [...this._items.values()];
	}

	_snapshot() {
		return this._all().map(i => ({ item: i, state: JSON.stringify([i.fields, i.tags, i.savedTags, i.note, i.deleted]) }));
	}

	_restore(snapshot) {
		this._items = new Map(snapshot.map(({ item, state }) => {
			const [fields, tags, savedTags, note, deleted] = JSON.parse(state);
			Object.assign(item, { fields, tags, savedTags, note, deleted });
			return [item.id, item];
		}));
	}

	_tagID(name) {
		if (!this._tagIDs.has(name)) this._tagIDs.set(name, this._tagIDs.size + 1);
		return this._tagIDs.get(name);
	}

	/** The checks of DataObject#save() before a transaction is required. */
	_outsideTransaction(item, what, options) {
		if (options.tx || this.DB.inTransaction()) return false;
		this.logError(new Error(`${what}() called on Zotero.Item without a wrapping transaction -- use ${what}Tx() instead`));
		return true;
	}

	/** @param {FakeItem} item @param {any} options */
	async _save(item, options) {
		if (this._outsideTransaction(item, 'save', options)) return this.DB.executeTransaction(() => this._save(item, options));
		if (this.failNextSave) {
			this.failNextSave = false;
			throw new Error('simulated failure');
		}
		this.DB.requireTransaction();
		if (!item._changed) return false;
		this.stats.saves++;
		this.stats.txSaves++;
		const isNew = !item.id;
		if (isNew) {
			item.id = this._nextID++;
			if (item.libraryID === null) item._libraryID = this.Libraries.userLibraryID;
			item.key ||= makeKey();
			this._items.set(item.id, item);
		}
		const data = { ...(options.notifierData || {}) };
		if (options.skipSelect) data.skipSelect = true;
		for (const o of this.Notifier.EVENT_LEVEL_OPTIONS) if (options[o] !== undefined) data[o] = options[o];
		this.Notifier.queueEvent(isNew ? 'add' : 'modify', 'item', [item.id], { [item.id]: data }, options.notifierQueue);
		this._queueTagEvents(item, options.notifierQueue);
		item.savedTags = item.tags.map(t => ({ ...t }));
		item._changed = false;
		return item.id;
	}

	/** @param {FakeItem} item */
	_queueTagEvents(item, queue) {
		const key = t => `${t.tag}\u0000${t.type}`;
		const old = new Set(item.savedTags.map(key));
		const now = new Set(item.tags.map(key));
		const send = (event, t) => {
			const id = `${item.id}-${this._tagID(t.tag)}`;
			this.Notifier.queueEvent(event, 'item-tag', [id], { [id]: { libraryID: item.libraryID, tag: t.tag, type: t.type } }, queue);
		};
		for (const t of item.tags.filter(x => !old.has(key(x)))) send('add', t);
		for (const t of item.savedTags.filter(x => !now.has(key(x)))) send('remove', t);
	}

	/** @param {FakeItem} item @param {any} options */
	async _erase(item, options) {
		if (this._outsideTransaction(item, 'erase', options)) return this.DB.executeTransaction(() => this._erase(item, options));
		this.DB.requireTransaction();
		this.stats.txSaves++;
		this._items.delete(item.id);
		this.Notifier.queueEvent('delete', 'item', [item.id], { [item.id]: { libraryID: item.libraryID, key: item.key } });
		return true;
	}

	/**
	 * Adds an item as if it were in the database already (no event), or, with `notify`, as if a
	 * translator (or, with `skipAutoSync`, sync) had just saved it.
	 * @param {{ libraryID?: number, key?: string, itemType: string, title?: string, abstract?: string,
	 *   venue?: string, tags?: { tag: string, type?: number }[], parentKey?: string, note?: string }} d
	 * @param {{ skipAutoSync?: boolean, notify?: boolean }} [opts]
	 */
	seed(d, opts = {}) {
		const item = new FakeItem(this, d.itemType);
		item._libraryID = d.libraryID || 1;
		item.key = d.key || makeKey();
		if (d.title) item.fields.title = d.title;
		if (d.abstract) item.fields.abstractNote = d.abstract;
		if (d.venue) item.fields.publicationTitle = d.venue;
		item.tags = (d.tags || []).map(t => cleanTag(t));
		item.savedTags = item.tags.map(t => ({ ...t }));
		if (d.parentKey) item._parentKey = d.parentKey;
		if (d.note) item.note = d.note;
		item.id = this._nextID++;
		item._changed = false;
		this._items.set(item.id, item);
		// with skipAutoSync: as sync sends it (xpcom/sync/syncLocal.js, a queue per downloaded object)
		const queue = opts.skipAutoSync ? new this.Notifier.Queue({ skipAutoSync: true }) : null;
		if (opts.notify && queue) this.Notifier.queueEvent('add', 'item', [item.id], { [item.id]: { skipSelect: true } }, queue);
		if (opts.notify && queue) this.Notifier.commit(queue);
		else if (opts.notify) this.Notifier.trigger('add', 'item', [item.id], { [item.id]: {} });
		return item;
	}

	/**
	 * An item downloaded by sync, saved as syncLocal.js saves it (its notifier queue made with
	 * skipAutoSync), tags included; resolves once the observers were notified.
	 * @param {{ libraryID?: number, key?: string, itemType: string, title?: string, abstract?: string,
	 *   tags?: { tag: string, type?: number }[] }} d
	 */
	async syncIn(d) {
		const queue = new this.Notifier.Queue({ skipAutoSync: true });
		const existing = d.key && this.Items._byKey(d.libraryID || 1, d.key);
		const item = existing || new FakeItem(this, d.itemType);
		if (!existing) {
			item.libraryID = d.libraryID || 1;
			item.key = d.key || makeKey();
		}
		if (d.title !== undefined) item.setField('title', d.title);
		if (d.abstract !== undefined) item.setField('abstractNote', d.abstract);
		if (d.tags) item.setTags(d.tags);
		await this.DB.executeTransaction(() => item.save({ notifierQueue: queue, skipSelect: true,
			notifierData: { skipRenameFile: true } }));
		await this.Notifier.commit(queue);
		return item;
	}

	/** A plain copy of every item's tags and notes, to compare states. */
	state() {
		const out = {};
		for (const i of this._all().filter(x => x.isRegularItem())) {
			out[`${i.libraryID}/${i.key}`] = {
				tags: i.tags.map(t => `${t.tag}|${t.type}`).sort(),
				notes: i.getNotes(true).map(id => /** @type {FakeItem} */ (this.Items.get(id))).map(n => `${n.key}|${n.note}`)
					.sort(),
			};
		}
		return out;
	}
}

module.exports = { FakeZotero, FakeItem, cleanTag };
