// Turning Zotero items into inline items of POST /v1/classify and /v1/undo, and cutting them into
// requests that stay within the server's limits (1000 items, 1 MiB body).
// Contract: toInlineItem() reads only; batches() keeps the order of its input and never yields an
// empty batch; an item too big on its own is shrunk (long abstracts and long non-Sieve notes cut).
'use strict';

const MAX_ITEMS = 1000;
const MAX_BYTES = 900 * 1024; // well under the server's 1 MiB
const ITEM_BUDGET = 256 * 1024; // a single item is shrunk beyond this
const SIEVE_NOTE_MARK = 'data-sieve-note';

/** @param {string} s */
function utf8Length(s) {
	let n = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c < 0x80) n += 1;
		else if (c < 0x800) n += 2;
		else if (c >= 0xd800 && c <= 0xdbff) {
			n += 4;
			i++;
		}
		else n += 3;
	}
	return n;
}

/** @param {string} html */
function isSieveNoteHtml(html) {
	return typeof html === 'string' && html.includes(SIEVE_NOTE_MARK);
}

/** @param {{ tag: string, type?: number }[]} tags */
function normalizeTags(tags) {
	return tags.map(t => ({ tag: t.tag, type: t.type ? 1 : 0 }));
}

/**
 * The child notes of an item as {key, html}.
 * @param {typeof Zotero} Zotero
 * @param {Zotero.Item} item
 * @returns {Promise<{ key: string, html: string }[]>}
 */
async function childNotes(Zotero, item) {
	const ids = item.getNotes(false);
	if (!ids.length) return [];
	const notes = await Zotero.Items.getAsync(ids);
	return notes.filter(Boolean).map((/** @type {Zotero.Item} */ n) => ({ key: n.key, html: n.getNote() }));
}

/**
 * The inline description of a regular item, with its identity, current tags and child notes.
 * @param {typeof Zotero} Zotero
 * @param {Zotero.Item} item
 * @param {{ withMetadata?: boolean }} [opts] - false: identity, tags and notes only (for undo)
 */
async function toInlineItem(Zotero, item, opts = {}) {
	/** @type {any} */
	const out = { libraryID: item.libraryID, key: item.key };
	if (opts.withMetadata !== false) {
		out.title = item.getField('title') || '';
		out.abstract = item.getField('abstractNote') || '';
		out.itemType = item.itemType;
		const venue = item.getField('publicationTitle', false, true);
		if (venue) out.venue = venue;
	}
	out.tags = normalizeTags(item.getTags());
	out.notes = await childNotes(Zotero, item);
	return shrink(out);
}

/**
 * Cuts an item over the budget: the abstract, then the other notes' HTML, ever shorter (the
 * Sieve note is kept whole: the plan depends on it).
 * @param {any} inline
 */
function shrink(inline) {
	for (const cut of [4000, 200, 0]) {
		if (utf8Length(JSON.stringify(inline)) <= ITEM_BUDGET) break;
		if (inline.abstract) inline.abstract = inline.abstract.slice(0, 20000);
		inline.notes = inline.notes.map((/** @type {{key: string, html: string}} */ n) => (
			isSieveNoteHtml(n.html) ? n : { key: n.key, html: n.html.slice(0, cut) }));
	}
	return inline;
}

/**
 * Splits items into request-sized batches.
 * @template T
 * @param {T[]} items
 * @param {{ maxItems?: number, maxBytes?: number }} [limits]
 * @returns {T[][]}
 */
function batches(items, { maxItems = MAX_ITEMS, maxBytes = MAX_BYTES } = {}) {
	/** @type {T[][]} */
	const out = [];

	/** @type {T[]} */
	let current = [];
	let bytes = 16; // {"items":[]}
	for (const item of items) {
		const size = utf8Length(JSON.stringify(item)) + 1;
		if (current.length && (current.length >= maxItems || bytes + size > maxBytes)) {
			out.push(current);
			current = [];
			bytes = 16;
		}
		current.push(item);
		bytes += size;
	}
	if (current.length) out.push(current);
	return out;
}

/**
 * The notes each inline item was sent with, by "libraryID/key" then note key: what a plan was
 * computed from, checked again before a note is replaced or deleted.
 * @param {any[]} inlineItems
 * @returns {Map<string, Map<string, string>>}
 */
function noteBasis(inlineItems) {
	const basis = new Map();
	for (const it of inlineItems) {
		basis.set(`${it.libraryID}/${it.key}`, new Map((it.notes || []).map((/** @type {any} */ n) => [n.key, n.html])));
	}
	return basis;
}

module.exports = {
	MAX_ITEMS, MAX_BYTES, SIEVE_NOTE_MARK,
	utf8Length, isSieveNoteHtml, normalizeTags, childNotes, toInlineItem, batches, noteBasis,
};
