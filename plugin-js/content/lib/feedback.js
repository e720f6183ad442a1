// Corrections: when the user adds or removes a prefixed tag by hand (notifier `item-tag`
// events), the item's verdict and topics as its tags now say are sent to POST /v1/feedback.
// Contract: changes to items the extension is writing (held in `inFlight`) are ignored, and so
// are changes that arrived by sync (event-level `skipAutoSync` in extraData, see autotag.js:
// another machine's Sieve tags are not this user's corrections); events for one item within
// `delayMs` are sent once; an item whose prefixed tags name no verdict or several is not sent
// (the feedback needs exactly one). After stop() no timer is left and nothing more is sent.
'use strict';

const { fromSync } = require('./autotag.js');

const VERDICTS = ['relevant', 'application', 'irrelevant'];

class TagFeedback {
	/**
	 * @param {object} ctx
	 * @param {typeof Zotero} ctx.Zotero
	 * @param {() => import('./client.js').SieveClient | Promise<import('./client.js').SieveClient>} ctx.client
	 * @param {() => string} ctx.prefix
	 * @param {import('./inflight.js').InFlight} ctx.inFlight
	 * @param {number} [ctx.delayMs]
	 * @param {(fn: () => void, ms: number) => any} [ctx.setTimeout]
	 * @param {(t: any) => void} [ctx.clearTimeout]
	 * @param {(e: any) => void} [ctx.onError]
	 */
	constructor(ctx) {
		this.ctx = ctx;
		this.delayMs = ctx.delayMs ?? 1500;
		this.setTimer = ctx.setTimeout || ((fn, ms) => setTimeout(fn, ms));
		this.clearTimer = ctx.clearTimeout || (t => clearTimeout(t));
		this.stopped = false;

		/** @type {Map<number, any>} item ID -> its timer */
		this.pending = new Map();

		/** @type {Promise<any>[]} */
		this.sending = [];
	}

	/**
	 * @param {string} event
	 * @param {string} type
	 * @param {(string | number)[]} ids
	 * @param {any} extraData
	 */
	notify(event, type, ids, extraData) {
		if (this.stopped || type !== 'item-tag' || (event !== 'add' && event !== 'remove')) return;
		if (fromSync(extraData)) return;
		const prefix = this.ctx.prefix();
		for (const id of ids) {
			const data = extraData && extraData[id];
			if (!data || typeof data.tag !== 'string' || !data.tag.startsWith(prefix)) continue;
			const item = this.ctx.Zotero.Items.get(parseInt(String(id)));
			if (!item || this.ctx.inFlight.has(`${item.libraryID}/${item.key}`)) continue;
			this.schedule(item.id);
		}
	}

	/** @param {number} itemID */
	schedule(itemID) {
		if (this.stopped || this.pending.has(itemID)) return;
		this.pending.set(itemID, null);
		const timer = this.setTimer(() => {
			this.pending.delete(itemID);
			if (this.stopped) return;
			this.sending.push(this.send(itemID).catch(e => this.ctx.onError?.(e)));
		}, this.delayMs);
		if (this.pending.has(itemID)) this.pending.set(itemID, timer);
	}

	/** Drops the feedback not sent yet and clears its timers (extension shutdown). */
	stop() {
		this.stopped = true;
		for (const timer of this.pending.values()) {
			if (timer !== null) this.clearTimer(timer);
		}
		this.pending.clear();
	}

	/** @param {number} itemID */
	async send(itemID) {
		const item = this.ctx.Zotero.Items.get(itemID);
		if (!item || item.deleted) return null;
		const body = feedbackFor(item, this.ctx.prefix());
		if (!body) return null;
		const client = await this.ctx.client();
		return client.feedback(body);
	}

	/** Resolves when every feedback scheduled so far has been sent (for tests and shutdown). */
	async flush() {
		await Promise.all(this.sending);
	}
}

/**
 * The feedback request for an item's current prefixed tags, or null when they name no single
 * verdict.
 * @param {any} item
 * @param {string} prefix
 */
function feedbackFor(item, prefix) {
	const names = item.getTags().map((/** @type {{tag: string}} */ t) => t.tag)
		.filter((/** @type {string} */ t) => t.startsWith(prefix))
		.map((/** @type {string} */ t) => t.slice(prefix.length));
	const verdicts = names.filter((/** @type {string} */ n) => VERDICTS.includes(n));
	if (verdicts.length !== 1) return null;
	const topics = names.filter((/** @type {string} */ n) => n.startsWith('topic/'))
		.map((/** @type {string} */ n) => n.slice('topic/'.length)).filter(Boolean);
	return {
		libraryID: item.libraryID, key: item.key, verdict: verdicts[0], topics,
		title: item.getField('title') || '', abstract: item.getField('abstractNote') || '',
	};
}

module.exports = { TagFeedback, feedbackFor, VERDICTS };
