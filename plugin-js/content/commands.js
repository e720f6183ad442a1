/* exported SieveCommands */
// The user's commands: classify the selection, remove Sieve's work, retag a library. Each one
// shows a Zotero.ProgressWindow and ends with a summary or a clear error; no command blocks the
// window (everything is asynchronous, every request has a timeout).
'use strict';

/** @type {any} */
var sieveL10n = null;

/**
 * @param {string} id
 * @param {Record<string, any>} [args]
 */
function sieveText(id, args) {
	if (!sieveL10n) sieveL10n = new Localization(['sieve.ftl'], true);
	return sieveL10n.formatValueSync(id, args) || id;
}

/** @param {Record<string, number>} counts */
function sieveCounts(counts) {
	return Object.entries(counts || {}).map(([k, v]) => `${v} ${k}`).join(', ') || '0';
}

/** A progress window with one line whose text and percentage can change. */
class SieveProgress {
	/** @param {{ closeOnClick?: boolean }} [opts] */
	constructor(opts = {}) {
		this.pw = new Zotero.ProgressWindow({ closeOnClick: opts.closeOnClick !== false });
		this.pw.changeHeadline(sieveText('sieve-title'));
		this.line = new this.pw.ItemProgress('', '');
		this.pw.show();
	}

	/** @param {string} text @param {number} [percent] */
	update(text, percent) {
		this.line.setText(text);
		if (percent !== undefined) this.line.setProgress(percent);
	}

	/**
	 * Adds a Cancel button under the progress line once the window has loaded. It relies on
	 * ItemProgress keeping its row in `_hbox` (Zotero 7 and 8); without it, the Tools menu's
	 * "Cancel Sieve retag" remains the way to cancel.
	 * @param {() => void} onCancel
	 */
	addCancelButton(onCancel, tries = 50) {
		const row = /** @type {any} */ (this.line)._hbox;
		if (!row) {
			if (tries > 0) setTimeout(() => this.addCancelButton(onCancel, tries - 1), 100);
			return;
		}
		try {
			const button = row.ownerDocument.createXULElement('button');
			button.setAttribute('label', sieveText('sieve-bulk-cancel'));
			button.addEventListener('command', () => {
				button.disabled = true;
				onCancel();
			});
			row.parentNode.appendChild(button);
			this.button = button;
		}
		catch (e) {
			Zotero.debug(`Sieve: no Cancel button: ${e}`);
		}
	}

	/** @param {string[]} lines @param {boolean} [failed] */
	finish(lines, failed = false) {
		if (this.button) this.button.remove();
		if (failed) this.line.setError();
		else this.line.setProgress(100);
		for (const l of lines) this.pw.addDescription(l.replace(/</g, '‹'));
		this.pw.startCloseTimer(failed ? 12000 : 8000);
	}
}

var SieveCommands = {

	/**
	 * Classifies items and applies the plans. quiet: no progress window unless something fails.
	 * @param {any} sieve
	 * @param {Zotero.Item[]} items
	 * @param {{ quiet?: boolean }} [opts]
	 */
	async classify(sieve, items, opts = {}) {
		const { classifyItems, isClassifiable } = sieve.lib.classify;
		const regular = items.filter(isClassifiable);
		if (!regular.length) {
			if (!opts.quiet) new SieveProgress().finish([sieveText('sieve-nothing')]);
			return;
		}
		const progress = opts.quiet ? null : new SieveProgress();
		try {
			const client = await sieve.client();
			const report = await classifyItems(regular, {
				Zotero, client, apply: sieve.applyOptions(),
				onProgress: (/** @type {number} */ done, /** @type {number} */ total) => progress?.update(
					sieveText('sieve-classifying', { done, total }), Math.round(100 * done / total)),
			});
			progress?.finish(classifySummary(report));
		}
		catch (e) {
			(progress || new SieveProgress()).finish([sieveText('sieve-error', { message: errorText(e) })], true);
		}
	},

	/**
	 * Removes Sieve's tags and notes from items.
	 * @param {any} sieve
	 * @param {Zotero.Item[]} items
	 */
	async undo(sieve, items) {
		const progress = new SieveProgress();
		progress.update(sieveText('sieve-undoing'));
		try {
			const client = await sieve.client();
			const s = await sieve.lib.undo.undoItems(items, { Zotero, client, apply: sieve.applyOptions() });
			progress.finish([sieveText('sieve-undone', {
				changed: s.changed, tags: s.tagsRemoved, notes: s.notesDeleted, userEdited: s.userEdited,
			})]);
		}
		catch (e) {
			progress.finish([sieveText('sieve-error', { message: errorText(e) })], true);
		}
	},

	/** @param {any} sieve @param {Window} win */
	async undoLibrary(sieve, win) {
		if (!Services.prompt.confirm(/** @type {any} */ (win), sieveText('sieve-title'), sieveText('sieve-undo-confirm'))) return;
		const libraryID = /** @type {any} */ (win).ZoteroPane.getSelectedLibraryID();
		const items = await Zotero.Items.getAll(libraryID, true);
		await this.undo(sieve, items);
	},

	/** Starts a bulk retag of the selected library, or cancels the one running. @param {any} sieve @param {Window} win */
	async retagLibrary(sieve, win) {
		if (sieve.bulk) {
			await sieve.bulk.cancel().catch((/** @type {any} */ e) => Zotero.logError(e));
			return;
		}
		if (!Services.prompt.confirm(/** @type {any} */ (win), sieveText('sieve-title'), sieveText('sieve-retag-confirm'))) return;
		const libraryID = /** @type {any} */ (win).ZoteroPane.getSelectedLibraryID();
		const progress = new SieveProgress({ closeOnClick: false });
		progress.pw.addDescription(sieveText('sieve-bulk-cancel-hint'));
		progress.addCancelButton(() => sieve.bulk?.cancel().catch((/** @type {any} */ e) => Zotero.logError(e)));
		try {
			const client = await sieve.client();
			sieve.bulk = new sieve.lib.bulk.BulkRunner({
				Zotero, client, apply: sieve.applyOptions(),
				onProgress: (/** @type {any} */ p) => progress.update(bulkLine(p.status), bulkPercent(p.status)),
			});
			const summary = await sieve.bulk.run({ scope: 'library', libraryID });
			progress.finish([bulkSummary(summary)], summary.state === 'failed');
		}
		catch (e) {
			progress.finish([sieveText('sieve-error', { message: errorText(e) })], true);
		}
		finally {
			sieve.bulk = null;
		}
	},
};

/** @param {any} e */
function errorText(e) {
	if (e && e.name === 'SieveError') return e.message;
	Zotero.logError(e);
	return String((e && e.message) || e);
}

/** @param {any} report */
function classifySummary(report) {
	const a = report.apply;
	const lines = [sieveText('sieve-classified', { judged: report.judged, counts: sieveCounts(report.verdicts), changed: a.changed })];
	if (a.userEdited || a.conflicts) lines.push(sieveText('sieve-notes-left', { userEdited: a.userEdited, conflicts: a.conflicts }));
	for (const err of a.errors.slice(0, 3)) lines.push(`${err.key}: ${err.message}`);
	return lines;
}

/** @param {any} s - job status */
function bulkLine(s) {
	const eta = (s.eta_seconds === null || s.eta_seconds === undefined) ? '' : sieveText('sieve-bulk-eta', { seconds: Math.ceil(s.eta_seconds) });
	return sieveText('sieve-bulk-progress', { done: s.done, total: s.total, rate: Math.round(s.rate || 0), eta });
}

/** @param {any} s */
function bulkPercent(s) {
	return s.total ? Math.round(100 * s.done / s.total) : 0;
}

/** @param {any} summary */
function bulkSummary(summary) {
	const topics = sieveCounts(summary.topics);
	return sieveText('sieve-bulk-summary', {
		state: summary.state, done: summary.done, total: summary.total,
		counts: `${sieveCounts(summary.verdicts)}; topics: ${topics}`, changed: summary.itemsChanged,
		userEdited: summary.userEdited, errors: summary.errors,
	}) + (summary.error ? ` (${summary.error})` : '');
}
