// Applying plans (docs/http-api.md, "Plans") to Zotero items, safely.
// Contract:
// - items are re-read by key; deleted or trashed items are skipped (counted in `missing`);
// - writes happen in Zotero.DB.executeTransaction chunks of at most `chunkSize` (100) items,
//   item.save() inside, never one transaction per item;
// - only tags starting with the prefix are touched; a tag is added only when the item has no tag
//   of that name (any type: addTag would silently retype it); only automatic (type 1) tags are
//   removed;
// - a note is replaced or deleted only when its current HTML equals the HTML the plan was computed
//   from (`basis`); otherwise, or when the basis is unknown, it is left and counted in `conflicts`;
//   a note is created only when the item has no child note carrying the Sieve mark;
// - keys of items being written are held in `inFlight` so the tag observer ignores our changes.
'use strict';

const { SIEVE_NOTE_MARK } = require('./items.js');

/** @returns {ApplySummary} */
function newSummary() {
	return {
		items: 0, changed: 0, tagsAdded: 0, tagsRemoved: 0, notesCreated: 0, notesReplaced: 0,
		notesDeleted: 0, userEdited: 0, conflicts: 0, missing: 0, readOnly: 0, errors: [],
	};
}

/**
 * @typedef {object} ApplySummary
 * @property {number} items
 * @property {number} changed
 * @property {number} tagsAdded
 * @property {number} tagsRemoved
 * @property {number} notesCreated
 * @property {number} notesReplaced
 * @property {number} notesDeleted
 * @property {number} userEdited
 * @property {number} conflicts
 * @property {number} missing
 * @property {number} readOnly
 * @property {{ key: string, message: string }[]} errors
 */

/**
 * @param {ApplySummary} into
 * @param {ApplySummary} from
 */
function mergeSummary(into, from) {
	for (const k of /** @type {(keyof ApplySummary)[]} */ (Object.keys(into))) {
		if (k === 'errors') into.errors.push(...from.errors);
		else into[k] += from[k];
	}
	return into;
}

/**
 * @typedef {object} PlanEntry
 * @property {number} libraryID
 * @property {string} key
 * @property {any} plan - null for read-only libraries
 * @property {Map<string, string>} [basis] - note key -> HTML the plan was computed from
 */

/**
 * @typedef {object} ApplyOptions
 * @property {typeof Zotero} Zotero
 * @property {string} prefix
 * @property {number} [tagType] - type given to added tags (1 automatic, 0 manual)
 * @property {boolean} [writeNotes] - false: no note is created or replaced
 * @property {import('./inflight.js').InFlight} [inFlight]
 * @property {number} [chunkSize]
 */

/**
 * @param {PlanEntry[]} entries
 * @param {ApplyOptions} opts
 * @returns {Promise<ApplySummary>}
 */
async function applyPlans(entries, opts) {
	const summary = newSummary();
	const size = Math.min(opts.chunkSize || 100, 100);
	for (let i = 0; i < entries.length; i += size) {
		await applyChunk(entries.slice(i, i + size), opts, summary);
	}
	return summary;
}

/**
 * @param {PlanEntry[]} chunk
 * @param {ApplyOptions} opts
 * @param {ApplySummary} summary
 */
async function applyChunk(chunk, opts, summary) {
	const work = [];
	const seen = new Set();
	for (const entry of chunk) {
		summary.items++;
		const id = `${entry.libraryID}/${entry.key}`;
		if (seen.has(id)) continue; // one plan per item and chunk
		seen.add(id);
		if (!entry.plan) {
			summary.readOnly++;
			continue;
		}
		try {
			const prepared = await prepare(entry, opts, summary);
			if (prepared) work.push(prepared);
		}
		catch (e) {
			summary.errors.push({ key: entry.key, message: String(e) });
		}
	}
	if (!work.length) return;
	const keys = work.map(w => `${w.entry.libraryID}/${w.entry.key}`);
	opts.inFlight?.hold(keys);
	try {
		await opts.Zotero.DB.executeTransaction(async () => {
			for (const w of work) await write(w, opts, summary);
		});
	}
	catch (e) {
		for (const w of work) summary.errors.push({ key: w.entry.key, message: String(e) });
	}
	finally {
		opts.inFlight?.release(keys);
	}
}

/**
 * Reads what an entry needs (item, note) and decides what will be written.
 * @param {PlanEntry} entry
 * @param {ApplyOptions} opts
 * @param {ApplySummary} summary
 */
async function prepare(entry, opts, summary) {
	const { Zotero } = opts;
	const item = await Zotero.Items.getByLibraryAndKeyAsync(entry.libraryID, entry.key);
	if (!item || item.deleted) {
		summary.missing++;
		return null;
	}
	const tags = tagChanges(item, entry.plan, opts.prefix, opts.tagType === 0 ? 0 : 1);
	const note = await noteChange(item, entry, opts, summary);
	if (!tags.add.length && !tags.remove.length && !note) return null;
	return { entry, item, tags, note };
}

/**
 * @param {Zotero.Item} item
 * @param {any} plan
 * @param {string} prefix
 * @param {number} tagType - the type of the tags Sieve writes: only those are ever removed
 */
function tagChanges(item, plan, prefix, tagType) {
	const current = new Map(item.getTags().map(t => [t.tag, t.type ? 1 : 0]));
	const remove = (plan.remove_tags || [])
		.map((/** @type {{tag: string}} */ t) => t.tag)
		.filter((/** @type {string} */ tag) => tag.startsWith(prefix) && current.get(tag) === tagType);
	const removing = new Set(remove);
	const add = (plan.add_tags || [])
		.map((/** @type {{tag: string}} */ t) => t.tag)
		.filter((/** @type {string} */ tag) => tag.startsWith(prefix)
			&& (!current.has(tag) || removing.has(tag)));
	// a tag removed and added again in one plan is a retype: we never retype, so leave it
	const both = add.filter((/** @type {string} */ t) => removing.has(t));
	return {
		remove: remove.filter((/** @type {string} */ t) => !both.includes(t)),
		add: add.filter((/** @type {string} */ t) => !both.includes(t)),
	};
}

/**
 * @param {Zotero.Item} item
 * @param {PlanEntry} entry
 * @param {ApplyOptions} opts
 * @param {ApplySummary} summary
 * @returns {Promise<null | { action: string, html?: string, noteItem?: Zotero.Item }>}
 */
async function noteChange(item, entry, opts, summary) {
	const note = entry.plan.note || { action: 'keep' };
	if (note.action === 'user_edited') summary.userEdited++;
	if (note.action === 'create') return opts.writeNotes === false ? null : checkCreate(item, note, opts, summary);
	if (note.action === 'replace' && opts.writeNotes === false) return null;
	if (note.action !== 'replace' && note.action !== 'delete') return null;
	const noteItem = await opts.Zotero.Items.getByLibraryAndKeyAsync(entry.libraryID, note.key);
	const basis = entry.basis && entry.basis.get(note.key);
	if (!noteItem || noteItem.deleted || noteItem.parentKey !== item.key
		|| basis === undefined || noteItem.getNote() !== basis) {
		summary.conflicts++;
		return null;
	}
	return { action: note.action, html: note.html, noteItem };
}

/**
 * @param {Zotero.Item} item
 * @param {{ html: string }} note
 * @param {ApplyOptions} opts
 * @param {ApplySummary} summary
 */
async function checkCreate(item, note, opts, summary) {
	const ids = item.getNotes(false);
	const notes = ids.length ? await opts.Zotero.Items.getAsync(ids) : [];
	if (notes.some((/** @type {Zotero.Item} */ n) => n && n.getNote().includes(SIEVE_NOTE_MARK))) {
		summary.conflicts++;
		return null;
	}
	return { action: 'create', html: note.html };
}

/**
 * Inside the transaction: the writes of one item.
 * @param {any} w
 * @param {ApplyOptions} opts
 * @param {ApplySummary} summary
 */
async function write(w, opts, summary) {
	const { item, tags, note } = w;
	for (const tag of tags.remove) item.removeTag(tag);
	for (const tag of tags.add) item.addTag(tag, opts.tagType === 0 ? 0 : 1);
	if (tags.add.length || tags.remove.length) await item.save();
	summary.tagsAdded += tags.add.length;
	summary.tagsRemoved += tags.remove.length;
	if (note) await writeNote(item, note, opts.Zotero, summary);
	summary.changed++;
}

/**
 * @param {Zotero.Item} item
 * @param {{ action: string, html?: string, noteItem?: Zotero.Item }} note
 * @param {typeof Zotero} Zotero
 * @param {ApplySummary} summary
 */
async function writeNote(item, note, Zotero, summary) {
	if (note.action === 'create') {
		const n = new Zotero.Item('note');
		n.libraryID = item.libraryID;
		n.parentKey = item.key;
		n.setNote(note.html || '');
		await n.save();
		summary.notesCreated++;
	}
	else if (note.action === 'replace' && note.noteItem) {
		note.noteItem.setNote(note.html || '');
		await note.noteItem.save();
		summary.notesReplaced++;
	}
	else if (note.action === 'delete' && note.noteItem) {
		await note.noteItem.erase();
		summary.notesDeleted++;
	}
}

module.exports = { applyPlans, newSummary, mergeSummary, tagChanges };
