// Auto-tagging on import: a Zotero.Notifier observer for item `add`.
// Contract: items that arrived by sync, feed items and non-regular items are never processed.
// Sync saves what it downloads through notifier queues made with `{ skipAutoSync: true }`, an
// event-level option that Zotero puts at the top level of `extraData`, beside the per-id data
// (7.0-10.0 xpcom/notifier.js: EVENT_LEVEL_OPTIONS and _mergeEvent(); xpcom/sync/syncLocal.js:
// the Zotero.Notifier.Queue of each downloaded object): `fromSync()` reads it there (and per id).
// Translators fill fields after the item is created, so an item is processed only once its
// title and abstract are unchanged across two checks `delayMs` apart (and its title is not
// empty), or when `maxWaitMs` have passed. Ready items are handed to `process` in one batch.
// Nothing is processed while `isEnabled()` is false, nor after stop().
'use strict';

class AutoTagger {
	/**
	 * @param {object} ctx
	 * @param {typeof Zotero} ctx.Zotero
	 * @param {() => boolean} ctx.isEnabled
	 * @param {(items: any[]) => Promise<void>} ctx.process
	 * @param {number} [ctx.delayMs]
	 * @param {number} [ctx.maxWaitMs]
	 * @param {() => number} [ctx.now]
	 * @param {(fn: () => void, ms: number) => any} [ctx.setTimeout]
	 * @param {(t: any) => void} [ctx.clearTimeout]
	 * @param {(e: any) => void} [ctx.onError]
	 */
	constructor(ctx) {
		this.ctx = ctx;
		this.delayMs = ctx.delayMs ?? 3000;
		this.maxWaitMs = ctx.maxWaitMs ?? 60000;
		this.now = ctx.now || Date.now;
		this.setTimer = ctx.setTimeout || ((fn, ms) => setTimeout(fn, ms));
		this.clearTimer = ctx.clearTimeout || (t => clearTimeout(t));

		/** @type {Map<number, { snapshot: string | null, since: number }>} */
		this.pending = new Map();
		this.timer = null;
		this.stopped = false;

		/** @type {Promise<void>} */
		this.idle = Promise.resolve();
	}

	/**
	 * Zotero.Notifier observer entry point.
	 * @param {string} event
	 * @param {string} type
	 * @param {(string | number)[]} ids
	 * @param {any} extraData
	 */
	notify(event, type, ids, extraData) {
		if (this.stopped || type !== 'item' || event !== 'add' || !this.ctx.isEnabled()) return;
		for (const raw of ids) {
			const id = Number(raw);
			if (fromSync(extraData, raw)) continue;
			if (!this.pending.has(id)) this.pending.set(id, { snapshot: null, since: this.now() });
		}
		if (this.pending.size) this.schedule();
	}

	schedule() {
		if (this.timer) return;
		this.timer = this.setTimer(() => {
			this.timer = null;
			this.idle = this.tick();
		}, this.delayMs);
	}

	/** One check of every pending item; settled ones are processed together. */
	async tick() {
		const ready = [];
		for (const [id, state] of this.pending) {
			const item = this.ctx.Zotero.Items.get(id);
			if (!item || item.deleted || item.isFeedItem || !item.isRegularItem()) {
				this.pending.delete(id);
				continue;
			}
			const title = item.getField('title') || '';
			const snapshot = `${title}\u0000${item.getField('abstractNote') || ''}`;
			const settled = title !== '' && snapshot === state.snapshot;
			if (settled || (title !== '' && this.now() - state.since >= this.maxWaitMs)) {
				ready.push(item);
				this.pending.delete(id);
			}
			else if (title === '' && this.now() - state.since >= this.maxWaitMs) this.pending.delete(id);
			else state.snapshot = snapshot;
		}
		if (this.pending.size) this.schedule();
		if (!ready.length || this.stopped || !this.ctx.isEnabled()) return;
		try {
			await this.ctx.process(ready);
		}
		catch (e) {
			this.ctx.onError?.(e);
		}
	}

	stop() {
		this.stopped = true;
		if (this.timer) this.clearTimer(this.timer);
		this.timer = null;
		this.pending.clear();
	}
}

/**
 * True when a notifier event (or its entry for `id`) was written by sync rather than by the user.
 * @param {any} extraData
 * @param {string | number} [id]
 */
function fromSync(extraData, id) {
	if (!extraData || typeof extraData !== 'object') return false;
	if (extraData.skipAutoSync) return true;
	const entry = id === undefined ? null : extraData[id];
	return !!(entry && typeof entry === 'object' && entry.skipAutoSync);
}

module.exports = { AutoTagger, fromSync };
