// "Classify with Sieve" and auto-tagging: send items inline to POST /v1/classify in batches,
// then apply the plans. Contract: only regular, editable, non-feed items are sent; results are
// matched to items by libraryID/key; the returned report counts verdicts and topics of the judged
// items, plus what applyPlans() changed. Errors of one batch stop the run (the caller shows them).
'use strict';

const { toInlineItem, batches, noteBasis } = require('./items.js');
const { applyPlans, newSummary, mergeSummary } = require('./apply.js');

/** @param {any} item */
function isClassifiable(item) {
	return !!item && item.isRegularItem() && !item.isFeedItem && !item.deleted;
}

/** @returns {Report} */
function newReport() {
	return { judged: 0, verdicts: {}, topics: {}, failed: 0, apply: newSummary() };
}

/**
 * @typedef {object} Report
 * @property {number} judged
 * @property {Record<string, number>} verdicts
 * @property {Record<string, number>} topics
 * @property {number} failed - items the server could not judge
 * @property {import('./apply.js').ApplySummary} apply
 */

/**
 * @param {Report} report
 * @param {string} verdict
 * @param {string[]} topics
 */
function count(report, verdict, topics) {
	report.judged++;
	report.verdicts[verdict] = (report.verdicts[verdict] || 0) + 1;
	for (const t of topics || []) report.topics[t] = (report.topics[t] || 0) + 1;
}

/**
 * @param {any[]} items - Zotero items
 * @param {object} ctx
 * @param {typeof Zotero} ctx.Zotero
 * @param {import('./client.js').SieveClient} ctx.client
 * @param {Omit<import('./apply.js').ApplyOptions, 'Zotero'>} ctx.apply
 * @param {(done: number, total: number) => void} [ctx.onProgress]
 * @returns {Promise<Report>}
 */
async function classifyItems(items, ctx) {
	const report = newReport();
	const inline = [];
	for (const item of items.filter(isClassifiable)) inline.push(await toInlineItem(ctx.Zotero, item));
	let done = 0;
	for (const batch of batches(inline)) {
		const answer = await ctx.client.classify(batch);
		const entries = planEntries(batch, answer.results, report);
		mergeSummary(report.apply, await applyPlans(entries, { ...ctx.apply, Zotero: ctx.Zotero }));
		done += batch.length;
		ctx.onProgress?.(done, inline.length);
	}
	return report;
}

/**
 * @param {any[]} batch - the inline items sent
 * @param {any[]} results - the server's results, in request order
 * @param {Report} report
 * @returns {import('./apply.js').PlanEntry[]}
 */
function planEntries(batch, results, report) {
	const basis = noteBasis(batch);
	const entries = [];
	for (const r of results) {
		const sent = batch[r.index];
		if (!sent || r.error) {
			report.failed++;
			continue;
		}
		count(report, r.judgment.verdict, r.judgment.topics);
		entries.push({
			libraryID: sent.libraryID, key: sent.key, plan: r.plan,
			basis: basis.get(`${sent.libraryID}/${sent.key}`),
		});
	}
	return entries;
}

module.exports = { classifyItems, planEntries, isClassifiable, newReport, count };
