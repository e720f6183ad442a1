// The user's corrections from the item menu, and re-judging what they change.
// Contract: markAs() does what editing the tags by hand does (so the tag notifier sends the
// correction to POST /v1/feedback, feedback.js): the item's other Sieve verdict tags are removed
// and the chosen one is added as a manual tag (the user's own statement); other tags are not
// touched; an item already marked so is left alone. affectedScope() previews, through
// POST /v1/personal/affected, the items whose Sieve verdict tag differs from what the helper's
// judge (with the personal layer) now says, and gives the POST /v1/jobs scope that re-judges
// exactly those.
'use strict';

const { VERDICTS } = require('./feedback.js');

/**
 * @param {any[]} items
 * @param {string} verdict - relevant | application | irrelevant
 * @param {string} prefix - the helper's tag prefix
 * @returns {Promise<number>} the items changed
 */
async function markAs(items, verdict, prefix) {
	if (!VERDICTS.includes(verdict)) throw new Error(`not a verdict: ${verdict}`);
	const want = prefix + verdict;
	let changed = 0;
	for (const item of items) {
		if (!item || !item.isRegularItem() || item.deleted) continue;
		const tags = item.getTags().map((/** @type {{tag: string}} */ t) => t.tag);
		const others = tags.filter((/** @type {string} */ t) => t !== want && t.startsWith(prefix)
			&& VERDICTS.includes(t.slice(prefix.length)));
		const manual = item.getTags().some((/** @type {{tag: string, type?: number}} */ t) => t.tag === want && !t.type);
		if (!others.length && manual) continue;
		for (const t of others) item.removeTag(t);
		item.addTag(want, 0);
		await item.saveTx();
		changed++;
	}
	return changed;
}

/**
 * @param {import('./client.js').SieveClient} client
 * @param {number} libraryID
 * @returns {Promise<{ affected: number, total: number, judge: string, scope: any }>}
 */
async function affectedScope(client, libraryID) {
	const r = await client.personalAffected({ scope: 'library', libraryID });
	const items = (r.items || []).map((/** @type {any} */ i) => ({ libraryID: i.libraryID, key: i.key }));
	return { affected: r.affected, total: r.total, judge: r.judge, scope: { scope: 'items', items } };
}

module.exports = { markAs, affectedScope };
