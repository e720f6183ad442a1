// "Remove Sieve tags and notes": send items (identity, tags, notes) to POST /v1/undo and apply
// the plans: automatic prefixed tags removed, the Sieve note deleted when it is exactly as Sieve
// wrote it (checked again against its current HTML), user-edited notes left alone and counted.
'use strict';

const { toInlineItem, batches, noteBasis } = require('./items.js');
const { applyPlans, newSummary, mergeSummary } = require('./apply.js');
const { isClassifiable } = require('./classify.js');

/**
 * @param {any[]} items - Zotero items
 * @param {object} ctx
 * @param {typeof Zotero} ctx.Zotero
 * @param {import('./client.js').SieveClient} ctx.client
 * @param {Omit<import('./apply.js').ApplyOptions, 'Zotero'>} ctx.apply
 * @param {(done: number, total: number) => void} [ctx.onProgress]
 * @returns {Promise<import('./apply.js').ApplySummary>}
 */
async function undoItems(items, ctx) {
	const summary = newSummary();
	const inline = [];
	for (const item of items.filter(isClassifiable)) {
		inline.push(await toInlineItem(ctx.Zotero, item, { withMetadata: false }));
	}
	let done = 0;
	for (const batch of batches(inline)) {
		const answer = await ctx.client.undo(batch);
		const basis = noteBasis(batch);
		const entries = answer.results.map((/** @type {any} */ r) => {
			const sent = batch[r.index];
			return {
				libraryID: sent.libraryID, key: sent.key, plan: r.plan,
				basis: basis.get(`${sent.libraryID}/${sent.key}`),
			};
		});
		const opts = { ...ctx.apply, Zotero: ctx.Zotero, writeNotes: true };
		mergeSummary(summary, await applyPlans(entries, opts));
		done += batch.length;
		ctx.onProgress?.(done, inline.length);
	}
	return summary;
}

module.exports = { undoItems };
