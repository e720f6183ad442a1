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
		this.finished = false;

		/** @type {any} */
		this.button = null;

		/** @type {any} */
		this.buttonTimer = null;
	}

	/** @param {string} text @param {number} [percent] */
	update(text, percent) {
		this.line.setText(text);
		if (percent !== undefined) this.line.setProgress(percent);
	}

	/**
	 * Adds a Cancel button under the progress line, then the hint line. Zotero builds the window
	 * once it has loaded (the ItemProgress row, `_hbox`, exists from then on), and sizes it to
	 * its content in addDescription(), ItemProgress and addLines() (7.0-10.0
	 * xpcom/progressWindow.js, _move()), not when a node is added from outside: so the button
	 * goes in first and the hint's addDescription() sizes the window with it. Without the row
	 * (another Zotero), only the hint is shown; the Tools menu's "Cancel Sieve retag" remains.
	 * @param {() => void} onCancel
	 * @param {string} hint
	 */
	addCancelButton(onCancel, hint, tries = 50) {
		this.buttonTimer = null;
		if (this.finished) return;
		const row = /** @type {any} */ (this.line)._hbox;
		if (!row && tries > 0) {
			this.buttonTimer = setTimeout(() => this.addCancelButton(onCancel, hint, tries - 1), 100);
			return;
		}
		try {
			if (row) this.button = this.cancelButton(row, onCancel);
		}
		catch (e) {
			Zotero.debug(`Sieve: no Cancel button: ${e}`);
		}
		this.pw.addDescription(hint);
	}

	/** @param {any} row @param {() => void} onCancel */
	cancelButton(row, onCancel) {
		const button = row.ownerDocument.createXULElement('button');
		button.setAttribute('label', sieveText('sieve-bulk-cancel'));
		button.addEventListener('command', () => {
			button.disabled = true;
			onCancel();
		});
		row.parentNode.insertBefore(button, row.nextSibling);
		return button;
	}

	/** @param {string[]} lines @param {boolean} [failed] */
	finish(lines, failed = false) {
		this.finished = true;
		if (this.buttonTimer) clearTimeout(this.buttonTimer);
		if (this.button) this.button.remove();
		if (failed) this.line.setError();
		else this.line.setProgress(100);
		for (const l of lines) this.pw.addDescription(l.replace(/</g, '‹'));
		this.pw.startCloseTimer(failed ? 12000 : 8000);
	}
}

/**
 * The libraries selected in the collection tree of a main window. Zotero 10 selects several
 * rows: ZoteroPane.getSelectedLibraryIDs(), while getSelectedLibraryID() throws "was removed"
 * (10.0 zoteroPane.js); 7.0-9.0 have only getSelectedLibraryID().
 * @param {any} win
 * @returns {number[]}
 */
function sieveSelectedLibraries(win) {
	const pane = win.ZoteroPane;
	const ids = typeof pane.getSelectedLibraryIDs === 'function'
		? pane.getSelectedLibraryIDs()
		: [pane.getSelectedLibraryID()];
	const unique = [...new Set((ids || []).filter((/** @type {any} */ id) => Number.isInteger(id)))];
	return unique.length ? unique : [Zotero.Libraries.userLibraryID];
}

var SieveCommands = {

	/**
	 * Classifies items and applies the plans. quiet (auto-tagging): no progress window, and a
	 * failure is shown once until a run succeeds again (not once per import); the user's own
	 * commands always show what went wrong.
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
			sieve.quietFailure = null;
			progress?.finish(classifySummary(report));
		}
		catch (e) {
			const text = errorText(e);
			if (progress) progress.finish([text], true);
			else if (sieve.quietFailure !== (e && e.code)) {
				sieve.quietFailure = (e && e.code) || 'error';
				new SieveProgress().finish([text, sieveText('sieve-autotag-once')], true);
			}
			else Zotero.debug(`Sieve: auto-tagging failed again: ${text}`);
		}
	},

	/**
	 * Removes Sieve's tags and notes from items.
	 * @param {any} sieve
	 * @param {Zotero.Item[] | (() => Promise<Zotero.Item[]>)} items - or a function that reads them
	 */
	async undo(sieve, items) {
		const progress = new SieveProgress();
		progress.update(sieveText('sieve-undoing'));
		try {
			const list = typeof items === 'function' ? await items() : items;
			const client = await sieve.client();
			const s = await sieve.lib.undo.undoItems(list, { Zotero, client, apply: sieve.applyOptions() });
			progress.finish([sieveText('sieve-undone', {
				changed: s.changed, tags: s.tagsRemoved, notes: s.notesDeleted, userEdited: s.userEdited,
			})]);
		}
		catch (e) {
			progress.finish([errorText(e)], true);
		}
	},

	/** @param {any} sieve @param {Window} win */
	async undoLibrary(sieve, win) {
		if (!Services.prompt.confirm(/** @type {any} */ (win), sieveText('sieve-title'), sieveText('sieve-undo-confirm'))) return;
		await this.undo(sieve, async () => {
			const items = [];
			for (const id of sieveSelectedLibraries(win)) items.push(...await Zotero.Items.getAll(id, true));
			return items;
		});
	},

	/**
	 * Starts a bulk retag of the selected libraries (one job after the other), or cancels the one
	 * running. Everything after the confirmation ends in the progress window, errors included.
	 * @param {any} sieve
	 * @param {Window} win
	 */
	async retagLibrary(sieve, win) {
		if (sieve.bulk) {
			await sieve.bulk.cancel().catch((/** @type {any} */ e) => Zotero.logError(e));
			return;
		}
		if (!Services.prompt.confirm(/** @type {any} */ (win), sieveText('sieve-title'), sieveText('sieve-retag-confirm'))) return;
		const progress = new SieveProgress({ closeOnClick: false });
		let cancelled = false;
		progress.addCancelButton(() => {
			cancelled = true;
			sieve.bulk?.cancel().catch((/** @type {any} */ e) => Zotero.logError(e));
		}, sieveText('sieve-bulk-cancel-hint'));
		const lines = [];
		let failed = false;
		try {
			const client = await sieve.client();
			for (const libraryID of sieveSelectedLibraries(win)) {
				if (cancelled) break;
				sieve.bulk = new sieve.lib.bulk.BulkRunner({
					Zotero, client, apply: sieve.applyOptions(),
					onProgress: (/** @type {any} */ p) => progress.update(bulkLine(p.status), bulkPercent(p.status)),
				});
				if (cancelled) sieve.bulk.cancelled = true;
				const summary = await sieve.bulk.run({ scope: 'library', libraryID });
				lines.push(bulkSummary(summary));
				failed ||= summary.state === 'failed';
				cancelled ||= summary.cancelled;
			}
		}
		catch (e) {
			lines.push(errorText(e));
			failed = true;
		}
		finally {
			sieve.bulk = null;
		}
		if (!lines.length) lines.push(sieveText('sieve-bulk-cancelled'));
		progress.finish(lines, failed);
	},
};

/**
 * What the user reads about a failure: for a helper that cannot be found or started, what to do
 * (in plain words); otherwise the error's own message.
 * @param {any} e
 */
function errorText(e) {
	if (e && e.name === 'SieveError') {
		if (e.code === 'no_helper') {
			Zotero.debug(`Sieve: ${e.message}`);
			return sieveText(e.configured ? 'sieve-helper-failed' : 'sieve-no-helper');
		}
		return sieveText('sieve-error', { message: e.message });
	}
	Zotero.logError(e);
	return sieveText('sieve-error', { message: String((e && e.message) || e) });
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
