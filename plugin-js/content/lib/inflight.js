// Keys ("libraryID/key") of items the extension is writing right now. The tag observer ignores
// notifier events for them, so the extension's own changes are never sent as corrections.
// Contract: hold() and release() nest (a count per key); release() takes effect after `graceMs`,
// because Zotero notifies observers after the transaction commits.
'use strict';

class InFlight {
	/**
	 * @param {{ graceMs?: number, setTimeout?: (fn: () => void, ms: number) => any }} [opts]
	 */
	constructor({ graceMs = 1500, setTimeout: timer = globalThis.setTimeout } = {}) {
		/** @type {Map<string, number>} */
		this.counts = new Map();
		this.graceMs = graceMs;
		this.timer = timer;
	}

	/** @param {string[]} keys */
	hold(keys) {
		for (const k of keys) this.counts.set(k, (this.counts.get(k) || 0) + 1);
	}

	/** @param {string[]} keys */
	release(keys) {
		const done = () => {
			for (const k of keys) {
				const n = (this.counts.get(k) || 0) - 1;
				if (n > 0) this.counts.set(k, n);
				else this.counts.delete(k);
			}
		};
		if (this.graceMs > 0) this.timer(done, this.graceMs);
		else done();
	}

	/** @param {string} key */
	has(key) {
		return this.counts.has(key);
	}
}

module.exports = { InFlight };
