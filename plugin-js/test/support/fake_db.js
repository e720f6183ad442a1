// Zotero.DB transactions and Zotero.Notifier as the extension meets them (own code, written from
// reading Zotero 7.0-10.0: xpcom/db.js executeTransaction(), xpcom/notifier.js, xpcom/zotero.js
// where the notifier queue is opened and committed by the DB's begin/commit/rollback callbacks).
// Rules kept:
// - one transaction at a time: a second one waits for the first; one started inside another
//   would wait for itself (Zotero times out after 30 s), so the fake throws at once;
// - events triggered inside a transaction are queued, merged per type and event, and delivered
//   after the commit (types and events in Zotero's order), before executeTransaction() resolves;
//   a rollback drops them;
// - merging: event-level options (skipAutoSync, autoSyncDelay) go to the top level of extraData,
//   a single id's data may be keyed by the id or be the extraData itself;
// - observers are called one after the other and awaited; one that throws is logged and the
//   others still run; registerObserver() refuses unknown types.
'use strict';

// @ts-ignore -- the typecheck knows zotero-types only, not Node's modules
const { AsyncLocalStorage } = require('node:async_hooks');

const TYPES = ['collection',
	'search',
	'share',
	'share-items',
	'item',
	'file',
	'collection-item',
	'item-tag',
	'tag',
	'setting',
	'group',
	'trash',
	'bucket',
	'relation',
	'feed',
	'feedItem',
	'sync',
	'api-key',
	'tab',
	'itemtree',
	'itempane',
	'infobox'];
const EVENT_LEVEL_OPTIONS = ['autoSyncDelay', 'skipAutoSync'];
const TYPE_ORDER = ['collection', 'search', 'item', 'collection-item', 'item-tag', 'tag'];
const EVENT_ORDER = ['add', 'modify', 'remove', 'move', 'delete', 'trash'];

/** Sorts by position in `order`, unknown names last. @param {string[]} order */
const byOrder = order => (/** @type {string} */ a, /** @type {string} */ b) => {
	const pos = (/** @type {string} */ x) => (order.includes(x) ? order.indexOf(x) : 100);
	return pos(a) - pos(b);
};

class FakeNotifierQueue {
	/** @param {Record<string, any>} [options] */
	constructor(options = {}) {
		for (const k of Object.keys(options)) {
			if (!EVENT_LEVEL_OPTIONS.includes(k)) throw new Error(`Queue option '${k} must be an event-level option`);
		}
		this.options = options;
		this._queue = {};
		this.size = 0;
	}
}

/** Adds one event to a queue: { type: { event: { ids, data } } }. */
function mergeEvent(queue, event, type, ids, extraData) {
	queue[type] ||= {};
	const entry = (queue[type][event] ||= { ids: [], data: {} });
	entry.ids.push(...ids);
	if (!extraData) return;
	const data = { ...extraData };
	for (const option of EVENT_LEVEL_OPTIONS) {
		if (data[option] !== undefined) {
			entry.data[option] = data[option];
			delete data[option];
		}
	}
	if (ids.length === 1) entry.data[ids[0]] = data[ids[0]] !== undefined ? data[ids[0]] : data;
	else for (const id of ids) if (data[id] !== undefined) entry.data[id] = data[id];
}

class FakeNotifier {
	/** @param {{ logError: (e: any) => void, inTransaction: () => boolean }} env */
	constructor(env) {
		this.env = env;
		this.observers = new Map();
		this.n = 0;
		this.queue = {};
		this.delivered = [];
		this.EVENT_LEVEL_OPTIONS = EVENT_LEVEL_OPTIONS;
		this.Queue = FakeNotifierQueue;
	}

	registerObserver(ref, types, id, priority) {
		for (const t of [types || []].flat()) if (!TYPES.includes(t)) throw new Error(`Invalid type '${t}'`);
		const oid = `${id || 'obs'}_${++this.n}`;
		this.observers.set(oid, { ref, types: types ? [types].flat() : null, priority: priority || 100 });
		return oid;
	}

	unregisterObserver(id) {
		this.observers.delete(id);
	}

	/**
	 * Queued inside a transaction (unless forced), delivered at once outside.
	 * @returns {Promise<true>}
	 */
	async trigger(event, type, ids, extraData, force) {
		if (!TYPES.includes(type)) throw new Error(`Invalid type '${type}'`);
		ids = [ids].flat();
		if (this.env.inTransaction() && !force) {
			this.queueEvent(event, type, ids, extraData);
			return true;
		}
		this.delivered.push({ event, type, ids, extraData });
		const order = [...this.observers].filter(([, o]) => !o.types || o.types.includes(type))
			.sort(([, a], [, b]) => a.priority - b.priority);
		for (const [oid, { ref }] of order) {
			if (!this.observers.has(oid)) continue;
			try {
				await ref.notify(event, type, ids, extraData);
			}
			catch (e) {
				this.env.logError(e);
			}
		}
		return true;
	}

	/** Zotero.Notifier.queue(): into the given queue, or the transaction's. */
	queueEvent(event, type, ids, extraData, queue) {
		if (!TYPES.includes(type)) throw new Error(`Invalid type '${type}'`);
		ids = [ids].flat();
		if (queue) {
			queue.size++;
			mergeEvent(queue._queue, event, type, ids, extraData);
			return;
		}
		if (!this.env.inTransaction()) throw new Error("Can't queue event outside of a transaction");
		mergeEvent(this.queue, event, type, ids, extraData);
	}

	/** Delivers the transaction's queue, or the given Zotero.Notifier.Queue objects. */
	async commit(queues) {
		let queue = this.queue;
		if (queues) {
			queue = {};
			for (const { _queue: q, options } of [queues].flat()) {
				for (const type of Object.keys(q)) {
					for (const event of Object.keys(q[type])) {
						mergeEvent(queue, event, type, q[type][event].ids, { ...q[type][event].data, ...options });
					}
				}
			}
		}
		else this.queue = {};
		for (const type of Object.keys(queue).sort(byOrder(TYPE_ORDER))) {
			for (const event of Object.keys(queue[type]).sort(byOrder(EVENT_ORDER))) {
				const { ids, data } = queue[type][event];
				const unique = [...new Set(ids)];
				if (unique.length) await this.trigger(event, type, unique, data, true);
			}
		}
	}

	reset() {
		this.queue = {};
	}
}

class FakeDB {
	/**
	 * @param {{ snapshot: () => any, restore: (s: any) => void, notifier: () => FakeNotifier,
	 *   onCommit?: () => void }} env
	 */
	constructor(env) {
		this.env = env;
		this.current = null;
		this.tail = Promise.resolve();
		this.context = new AsyncLocalStorage();
		this.transactions = 0;
	}

	inTransaction() {
		return this.current !== null;
	}

	requireTransaction() {
		if (!this.current) throw new Error('Not in transaction');
	}

	async executeTransaction(fn) {
		if (this.context.getStore()) {
			throw new Error('Zotero.DB.executeTransaction() inside a transaction: Zotero would wait for itself '
				+ 'and time out after 30 s (DBConnection.TimeoutError)');
		}
		const previous = this.tail;

		/** @type {(v?: any) => void} */
		let release = () => {};
		this.tail = new Promise((r) => {
			release = r;
		});
		await previous;
		const id = ++this.transactions;
		this.current = id;
		const before = this.env.snapshot();
		let result;
		try {
			result = await this.context.run(id, fn);
		}
		catch (e) {
			this.current = null;
			this.env.restore(before);
			this.env.notifier().reset();
			release();
			throw e;
		}
		// as in Zotero: the transaction is over before the commit callbacks (the notifier) run,
		// and executeTransaction() resolves only once the observers have been called
		this.current = null;
		this.env.onCommit?.();
		const delivering = this.env.notifier().commit();
		release();
		await delivering;
		return result;
	}
}

module.exports = { FakeDB, FakeNotifier, FakeNotifierQueue, mergeEvent, EVENT_LEVEL_OPTIONS, TYPES };
