// "Library report" (Tools menu) and "Sieve report of this collection" (collection context menu):
// the helper builds the page (GET /v1/report, docs/http-api.md; one self-contained HTML file,
// docs/report.md), the extension writes it to a file in the temporary folder and opens it in
// Zotero's viewer window or the system browser. Nothing in the library is changed.
// Contract: openReport resolves with where the page was written, or rejects with a SieveError
// (the helper's error code, or `invalid_scope` / `bad_response`); reportCommand, the menus'
// entry point, reports a failure through its `notify` and never rejects.
'use strict';

const { SieveError } = require('./client.js');

/** A report can take a while: a library without stored judgments is judged for it. */
const REPORT_TIMEOUT_MS = 300000;

const KEY = /^[A-Z0-9]{8}$/;

/**
 * The GET /v1/report target of a scope.
 * @param {{ libraryID: number, collectionKey?: string }} scope
 */
function reportTarget(scope) {
	if (!Number.isInteger(scope.libraryID) || scope.libraryID < 1) {
		throw new SieveError('invalid_scope', `Not a library ID: ${scope.libraryID}`);
	}
	if (scope.collectionKey !== undefined && !KEY.test(scope.collectionKey)) {
		throw new SieveError('invalid_scope', `Not a collection key: ${scope.collectionKey}`);
	}
	return `/v1/report?library=${scope.libraryID}`
		+ (scope.collectionKey ? `&collection=${scope.collectionKey}` : '');
}

/**
 * A file name for the page: sieve-report-<library>[-<collection>]-<YYYYMMDD-HHMMSS>.html.
 * @param {{ libraryID: number, collectionKey?: string }} scope
 * @param {Date} now
 */
function reportFileName(scope, now) {
	const iso = now.toISOString(); // 2026-12-06T21:05:09.000Z
	const stamp = `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
	return `sieve-report-${scope.libraryID}${scope.collectionKey ? `-${scope.collectionKey}` : ''}-${stamp}.html`;
}

/**
 * The scope of the Tools menu: the library selected in the main window (the user library when
 * none is).
 * @param {any} pane - ZoteroPane
 */
function libraryScope(pane) {
	const id = pane && typeof pane.getSelectedLibraryID === 'function' ? pane.getSelectedLibraryID() : 1;
	return { libraryID: Number.isInteger(id) && id > 0 ? id : 1 };
}

/**
 * The scope of a collection's context menu.
 * @param {{ libraryID: number, key: string }} collection - a Zotero.Collection
 */
function collectionScope(collection) {
	return { libraryID: collection.libraryID, collectionKey: collection.key };
}

/**
 * Fetches the report page and opens it.
 * @param {object} ctx
 * @param {{ call: (method: string, path: string, body?: any, opts?: { timeout?: number }) => Promise<any> }} ctx.client
 * @param {{ tempDir: () => string, join: (...parts: string[]) => string,
 *   makeDirectory: (path: string) => Promise<void>, writeText: (path: string, text: string) => Promise<void>,
 *   fileURL: (path: string) => string }} ctx.files
 * @param {{ viewer: (url: string) => any, browser: (path: string) => any }} ctx.open
 * @param {{ libraryID: number, collectionKey?: string }} scope
 * @param {'viewer' | 'browser'} [where] - Zotero's viewer window (default) or the system browser
 * @returns {Promise<{ path: string, url: string, title: string, items: number, fromCache: number, judgedNow: number }>}
 */
async function openReport(ctx, scope, where = 'viewer') {
	const answer = await ctx.client.call('GET', reportTarget(scope), undefined, { timeout: REPORT_TIMEOUT_MS });
	if (!answer || typeof answer.html !== 'string' || !answer.html.startsWith('<!DOCTYPE html>')) {
		throw new SieveError('bad_response', 'The Sieve helper sent no report page');
	}
	const dir = ctx.files.join(ctx.files.tempDir(), 'sieve-reports');
	await ctx.files.makeDirectory(dir);
	const path = ctx.files.join(dir, reportFileName(scope, new Date()));
	await ctx.files.writeText(path, answer.html);
	const url = ctx.files.fileURL(path);
	if (where === 'browser') await ctx.open.browser(path);
	else await ctx.open.viewer(url);
	return {
		path, url, title: String(answer.title), items: answer.items,
		fromCache: answer.from_cache, judgedNow: answer.judged_now,
	};
}

/**
 * What openReport needs, from Zotero 7/8's chrome globals (IOUtils, PathUtils, Zotero).
 * @param {any} Z - Zotero
 * @param {any} io - IOUtils
 * @param {any} paths - PathUtils
 */
function zoteroReportContext(Z, io, paths) {
	return {
		files: {
			tempDir: () => paths.tempDir,
			join: (/** @type {string[]} */ ...parts) => paths.join(...parts),
			makeDirectory: (/** @type {string} */ p) => io.makeDirectory(p, { ignoreExisting: true, permissions: 0o700 }),
			writeText: (/** @type {string} */ p, /** @type {string} */ t) => io.writeUTF8(p, t),
			fileURL: (/** @type {string} */ p) => paths.toFileURI(p),
		},
		open: {
			viewer: (/** @type {string} */ url) => Z.openInViewer(url),
			browser: (/** @type {string} */ p) => Z.launchFile(p),
		},
	};
}

/**
 * The menu command (Tools → Sieve → Library report; a collection's context menu): the report of
 * `scope` opened in Zotero's viewer; a failure is shown with `notify` (never thrown).
 * @param {{ client: () => Promise<any>, Zotero: any, IOUtils: any, PathUtils: any,
 *   notify: (message: string) => void }} deps - `client`: the extension's Sieve.client()
 * @param {{ libraryID: number, collectionKey?: string }} scope
 * @param {'viewer' | 'browser'} [where]
 */
async function reportCommand(deps, scope, where = 'viewer') {
	try {
		const ctx = { client: await deps.client(), ...zoteroReportContext(deps.Zotero, deps.IOUtils, deps.PathUtils) };
		return await openReport(ctx, scope, where);
	}
	catch (e) {
		deps.notify(`The Sieve report could not be made: ${(e && e.message) || e}`);
		return null;
	}
}

module.exports = {
	reportCommand,
	openReport, reportTarget, reportFileName, libraryScope, collectionScope, zoteroReportContext,
	REPORT_TIMEOUT_MS,
};
