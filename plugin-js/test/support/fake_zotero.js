// A stand-in for the Zotero object, limited to the API subset the extension uses. Items live in
// memory; DB.executeTransaction rolls back on error; saves queue notifier events (item add,
// item-tag add/remove) delivered after the outermost transaction commits, as Zotero does.
// HTTP.request talks to a real server through Node's fetch.
'use strict';

let nextKey = 1;
function makeKey() {
	return `FK${String(nextKey++).padStart(6, '0')}`;
}

/**
 * @implements {Pick<Zotero.Item, 'libraryID' | 'key' | 'deleted' | 'isFeedItem' | 'isRegularItem' | 'isNote'
 *   | 'getField' | 'setField' | 'getTags' | 'addTag' | 'removeTag' | 'hasTag' | 'getNotes' | 'getNote' | 'setNote'
 *   | 'save' | 'saveTx' | 'erase' | 'eraseTx'>}
 */
class FakeItem {
	/** @param {FakeZotero} z @param {string} itemType */
	constructor(z, itemType) {
		this._z = z;
		this.itemType = itemType;
		this.id = 0;
		this.libraryID = 1;
		this.key = makeKey();
		this.deleted = false;
		this.isFeedItem = false;

		/** @type {string | false} */
		this.parentKey = false;

		/** @type {Record<string, string>} */
		this.fields = {};

		/** @type {{ tag: string, type: number }[]} */
		this.tags = [];
		this.savedTags = [];
		this.note = '';
	}

	isRegularItem() {
		return this.itemType !== 'note' && this.itemType !== 'attachment' && this.itemType !== 'annotation';
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
		this.fields[name] = value;
	}

	getTags() {
		return this.tags.map(t => (t.type ? { tag: t.tag, type: t.type } : { tag: t.tag }));
	}

	/** Real behaviour: an existing tag of another type is silently retyped. */
	addTag(name, type) {
		type = type ? 1 : 0;
		const t = this.tags.find(x => x.tag === name);
		if (t) {
			if (t.type === type) return false;
			t.type = type;
			return true;
		}
		this.tags.push({ tag: name, type });
		return true;
	}

	removeTag(name) {
		const n = this.tags.length;
		this.tags = this.tags.filter(t => t.tag !== name);
		return this.tags.length !== n;
	}

	hasTag(name) {
		return this.tags.some(t => t.tag === name);
	}

	getNotes(includeTrashed) {
		return this._z._all().filter(i => i.isNote() && i.parentKey === this.key
			&& i.libraryID === this.libraryID && (includeTrashed || !i.deleted)).map(i => i.id);
	}

	getNote() {
		return this.note;
	}

	setNote(html) {
		this.note = html;
		return true;
	}

	get parentID() {
		const p = this.parentKey && this._z.Items._byKey(this.libraryID, this.parentKey);
		return p ? p.id : false;
	}

	async save() {
		return this._z._save(this);
	}

	async saveTx() {
		return this._z.DB.executeTransaction(() => this.save());
	}

	async erase() {
		this._z._erase(this);
		return true;
	}

	async eraseTx() {
		await this._z.DB.executeTransaction(() => this.erase());
		return true;
	}
}

class FakeZotero {
	/** @param {{ dataDir?: string }} [opts] */
	constructor(opts = {}) {
		/** @type {Map<number, FakeItem>} */
		this._items = new Map();
		this._nextID = 1;
		this._inTx = 0;
		this._queue = [];
		this.stats = { transactions: 0, maxSavesPerTx: 0, saves: 0, txSaves: 0 };
		const self = this; // eslint-disable-line consistent-this
		this.Item = function (itemType) {
			return new FakeItem(self, itemType);
		};
		this.Items = {
			get: id => this._items.get(Number(id)) || false,
			getAsync: async ids => (Array.isArray(ids) ? ids.map(id => this.Items.get(id)) : this.Items.get(ids)),
			getByLibraryAndKeyAsync: async (libraryID, key) => this.Items._byKey(libraryID, key) || false,
			_byKey: (libraryID, key) => this._all().find(i => i.libraryID === libraryID && i.key === key),
			getAll: async (libraryID, onlyTopLevel) => this._all().filter(i => i.libraryID === libraryID
				&& !i.deleted && (!onlyTopLevel || !i.parentKey)),
		};

		/** @type {Pick<_ZoteroTypes.DB, 'executeTransaction'>} */
		this.DB = { executeTransaction: fn => this._transaction(fn) };

		/** @type {FakeNotifier & Pick<_ZoteroTypes.Notifier, 'registerObserver' | 'unregisterObserver' | 'trigger'>} */
		this.Notifier = new FakeNotifier();

		/** @type {FakePrefs & Pick<typeof Zotero.Prefs, 'get' | 'set'>} */
		this.Prefs = new FakePrefs();

		/** @type {Pick<_ZoteroTypes.HTTP, 'request'>} */
		this.HTTP = { request: fakeRequest };
		this.DataDirectory = { dir: opts.dataDir || '/tmp/zotero' };
		this.Libraries = { userLibraryID: 1 };
		this.debug = () => {};
		this.logError = () => {};
	}

	_all() {
		return [...this._items.values()];
	}

	async _transaction(fn) {
		const outer = this._inTx === 0;
		const before = outer ? this._snapshot() : null;
		if (outer) this.stats.txSaves = 0;
		this._inTx++;
		try {
			const result = await fn();
			this._inTx--;
			if (outer) this._commit();
			return result;
		}
		catch (e) {
			this._inTx--;
			if (outer) {
				this._restore(before);
				this._queue = [];
			}
			throw e;
		}
	}

	_commit() {
		this.stats.transactions++;
		this.stats.maxSavesPerTx = Math.max(this.stats.maxSavesPerTx, this.stats.txSaves);
		const queue = this._queue;
		this._queue = [];
		for (const [event, type, ids, extra] of queue) this.Notifier.trigger(event, type, ids, extra);
	}

	_snapshot() {
		return this._all().map(i => ({ item: i, state: JSON.stringify([i.fields, i.tags, i.note, i.deleted]) }));
	}

	_restore(snapshot) {
		this._items = new Map(snapshot.map(({ item, state }) => {
			const [fields, tags, note, deleted] = JSON.parse(state);
			Object.assign(item, { fields, tags, note, deleted });
			item.savedTags = tags.map(t => ({ ...t }));
			return [item.id, item];
		}));
	}

	/** @param {FakeItem} item */
	async _save(item) {
		if (this.failNextSave) {
			this.failNextSave = false;
			throw new Error('simulated failure');
		}
		if (!this._inTx) return this._transaction(() => this._save(item));
		this.stats.saves++;
		this.stats.txSaves++;
		const isNew = !item.id;
		if (isNew) {
			item.id = this._nextID++;
			this._items.set(item.id, item);
			this._queue.push(['add', 'item', [item.id], {}]);
		}
		this._queueTagEvents(item);
		item.savedTags = item.tags.map(t => ({ ...t }));
		return item.id;
	}

	/** @param {FakeItem} item */
	_queueTagEvents(item) {
		const key = t => `${t.tag}\u0000${t.type}`;
		const old = new Set(item.savedTags.map(key));
		const now = new Set(item.tags.map(key));
		for (const t of item.tags.filter(x => !old.has(key(x)))) this._queueTag('add', item, t);
		for (const t of item.savedTags.filter(x => !now.has(key(x)))) this._queueTag('remove', item, t);
	}

	_queueTag(event, item, t) {
		const id = `${item.id}-${t.tag}`;
		this._queue.push([event, 'item-tag', [id], { [id]: { libraryID: item.libraryID, tag: t.tag, type: t.type } }]);
	}

	/** @param {FakeItem} item */
	_erase(item) {
		if (!this._inTx) throw new Error('erase() outside a transaction');
		this.stats.txSaves++;
		this._items.delete(item.id);
		this._queue.push(['delete', 'item', [item.id], {}]);
	}

	/**
	 * Adds an item as if it had been saved (by a translator or by sync).
	 * @param {{ libraryID?: number, key?: string, itemType: string, title?: string, abstract?: string,
	 *   venue?: string, tags?: { tag: string, type?: number }[], parentKey?: string, note?: string }} d
	 * @param {{ skipAutoSync?: boolean, notify?: boolean }} [opts]
	 */
	seed(d, opts = {}) {
		const item = new FakeItem(this, d.itemType);
		item.libraryID = d.libraryID || 1;
		if (d.key) item.key = d.key;
		if (d.title) item.fields.title = d.title;
		if (d.abstract) item.fields.abstractNote = d.abstract;
		if (d.venue) item.fields.publicationTitle = d.venue;
		item.tags = (d.tags || []).map(t => ({ tag: t.tag, type: t.type ? 1 : 0 }));
		item.savedTags = item.tags.map(t => ({ ...t }));
		if (d.parentKey) item.parentKey = d.parentKey;
		if (d.note) item.note = d.note;
		item.id = this._nextID++;
		this._items.set(item.id, item);
		if (opts.notify) {
			const extra = opts.skipAutoSync ? { [item.id]: { skipAutoSync: true } } : {};
			this.Notifier.trigger('add', 'item', [item.id], extra);
		}
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

class FakeNotifier {
	constructor() {
		this.observers = new Map();
		this.n = 0;
	}

	registerObserver(ref, types, id) {
		const oid = `${id || 'obs'}_${++this.n}`;
		this.observers.set(oid, { ref, types });
		return oid;
	}

	unregisterObserver(id) {
		this.observers.delete(id);
	}

	/** Calls the observers at once (Zotero awaits them; the fake need not). */
	trigger(event, type, ids, extraData = {}) {
		for (const { ref, types } of this.observers.values()) {
			if (!types || types.includes(type)) ref.notify(event, type, ids, extraData);
		}
		return Promise.resolve(/** @type {true} */ (true));
	}
}

class FakePrefs {
	constructor() {
		this.values = new Map();
	}

	get(name) {
		return this.values.get(name);
	}

	set(name, value) {
		this.values.set(name, value);
		return true;
	}
}

/** Zotero.HTTP.request over Node's fetch: resolves with {status, responseText}, or throws. */
async function fakeRequest(method, url, options = {}) {
	const signal = options.timeout ? AbortSignal.timeout(options.timeout) : undefined;
	let res;
	try {
		res = await fetch(url, { method, headers: options.headers, body: options.body, signal });
	}
	catch (e) {
		const err = new Error(`HTTP ${method} ${url} failed: ${e.cause?.code || e.message}`);
		err.name = e.name === 'TimeoutError' ? 'TimeoutException' : 'ConnectionError';
		throw err;
	}
	const text = await res.text();
	const ok = options.successCodes === false || (options.successCodes
		? options.successCodes.includes(res.status)
		: res.status >= 200 && res.status < 300);
	const xhr = { status: res.status, responseText: text, response: text };
	if (!ok) {
		const err = new Error(`HTTP ${method} ${url} failed with status code ${res.status}`);
		Object.assign(err, { name: 'UnexpectedStatusException', status: res.status, xmlhttp: xhr });
		throw err;
	}
	return /** @type {any} */ (xhr);
}

module.exports = { FakeZotero, FakeItem };
