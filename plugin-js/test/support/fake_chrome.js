// Stand-ins for what bootstrap.js and content/*.js use besides Zotero's data API, acting as the
// Zotero release of the FakeZotero (`zotero.version`): the sandbox's Services.scriptloader (runs
// the files with node:vm, like loadSubScript into a target object), a main window with the two
// menus, its ZoteroPane (10.0: getSelectedLibraryIDs(), and a getSelectedLibraryID() that throws),
// L10nRegistry (fake_l10n.js), Zotero.PreferencePanes (a pane can be opened: Zotero adds the
// label as its heading), Zotero.MenuManager on 8+ (fake_menus.js), Zotero.ProgressWindow (built
// when its window has loaded, sized by addDescription()/ItemProgress as in xpcom/progressWindow.js),
// Localization, IOUtils, PathUtils, Subprocess (fake_subprocess.js) and timers that can be counted.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { FakeL10n, FakeL10nFileSource, ZOTERO_LOCALES, ZOTERO_RESOURCES } = require('./fake_l10n.js');
const { FakeMenuManager } = require('./fake_menus.js');
const { FakeDocument } = require('./fake_dom.js');
const { fakeProgressWindow } = require('./fake_progress.js');

const ROOT = path.resolve(__dirname, '../..');
const ROOT_URI = `file://${ROOT}/`;

/** A main window; addChromeAPI() gives it the ZoteroPane and Fluent of the Zotero version. */
function fakeWindow(selected = []) {
	const document = new FakeDocument();
	for (const id of ['zotero-itemmenu', 'menu_ToolsPopup']) {
		const el = document.createXULElement('menupopup');
		el.id = id;
		document.root.append(el);
	}
	return {
		document,
		MozXULElement: {
			insertFTLIfNeeded: (name) => {
				if (document.querySelector(`[href="${name}"]`)) return;
				const link = document.createXULElement('link');
				link.setAttribute('rel', 'localization');
				link.setAttribute('href', name);
				document.root.append(link);
			},
		},
		ZoteroPane: { getSelectedItems: () => selected, selectedLibraries: [1] },
	};
}

/** The Fluent resources of a window: Zotero's and its <link rel="localization"> elements. */
function windowResources(win) {
	const links = win.document.all().filter(e => e.attributes.rel === 'localization').map(e => e.attributes.href);
	return [...ZOTERO_RESOURCES.main, ...links];
}

function zoteroPaneOf(version, pane) {
	if (version >= 10) {
		pane.getSelectedLibraryID = () => {
			throw new Error('ZoteroPane.getSelectedLibraryID() was removed -- use ZoteroPane.getSelectedLibraryIDs()');
		};
		pane.getSelectedLibraryIDs = () => [...pane.selectedLibraries];
	}
	else pane.getSelectedLibraryID = () => pane.selectedLibraries[0];
	return pane;
}

function preferencePanes(zotero, log) {
	return {
		register: async (opts) => {
			if (!opts.pluginID || !opts.src) throw new Error('pluginID and src must be provided');
			const pane = { ...opts, id: opts.id || `plugin-pane-${log.panes.length}-${opts.pluginID}`, rawLabel: opts.label };
			log.panes.push(pane);
			return pane.id;
		},
		unregister: (id) => {
			log.panes = log.panes.filter(p => p.id !== id);
		},

		/** The pane as the settings window shows it: headings (Zotero's h1 first), locale, labels. */
		open(id) {
			const pane = log.panes.find(p => p.id === id);
			const markup = fs.readFileSync(pane.src.replace(/^file:\/\//, ''), 'utf8');
			const links = [...markup.matchAll(/<html:link rel="localization" href="([^"]+)"/g)].map(m => m[1]);
			const resources = [...ZOTERO_RESOURCES.prefs, ...links];
			const text = l10nID => zotero.l10n.format(resources, l10nID, { attribute: [undefined, 'label'] });
			const headings = [pane.rawLabel, ...[...markup.matchAll(/<html:h\d data-l10n-id="([^"]+)"/g)].map(m => text(m[1]))];
			const ids = [...markup.matchAll(/data-l10n-id="([^"]+)"/g)].map(m => m[1]);
			return { headings, locale: zotero.l10n.windowLocale(resources), labels: ids.map(text) };
		},
	};
}

/**
 * Adds the window-level Zotero API the glue uses to a FakeZotero, for its version.
 * @param {any} zotero
 * @param {{ window: any, locale?: string }} opts
 */
function addChromeAPI(zotero, { window, locale = 'en-US' }) {
	const log = { panes: [], progress: [], menus: null };
	zotero.l10n = new FakeL10n({ version: zotero.version, appLocale: locale });
	zotero.PreferencePanes = preferencePanes(zotero, log);
	if (zotero.major >= 8) {
		zotero.MenuManager = new FakeMenuManager({
			version: zotero.major, debug: s => zotero.debug(s),
			label: id => zotero.l10n.format(windowResources(window), id, { attribute: 'label' }),
		});
		log.menus = zotero.MenuManager;
	}
	zoteroPaneOf(zotero.major, window.ZoteroPane);
	window.L10nRegistry = { getInstance: () => zotero.l10n.registry };
	window.L10nFileSource = FakeL10nFileSource;
	window.windowLocale = () => zotero.l10n.windowLocale(windowResources(window));
	window.label = (id, attribute = 'label') => zotero.l10n.format(windowResources(window), id, { attribute });
	zotero.getMainWindows = () => [window];
	zotero.getMainWindow = () => window;
	zotero.ProgressWindow = fakeProgressWindow(log);
	const prefs = zotero.Prefs;
	vm.runInNewContext(fs.readFileSync(path.join(ROOT, 'prefs.js'), 'utf8'), { pref: (name, value) => prefs.set(name, value) });
	return log;
}

/** setTimeout/clearTimeout that keep count of what is pending, optionally faster than real time. */
function countedTimers(timeScale = 1) {
	const pending = new Map();
	let n = 0;
	return {
		pending,
		setTimeout(fn, ms = 0, ...args) {
			const id = ++n;
			pending.set(id, setTimeout(() => {
				pending.delete(id);
				fn(...args);
			}, Math.max(0, ms / timeScale)));
			return id;
		},
		clearTimeout(id) {
			clearTimeout(pending.get(id));
			pending.delete(id);
		},
	};
}

/**
 * The sandbox globals of a bootstrap extension, and a loader that runs files in it.
 * @param {any} zotero
 * @param {{ prompt?: () => boolean, timeScale?: number, Subprocess?: any }} [opts]
 */
function sandbox(zotero, { prompt = () => true, timeScale = 1, Subprocess = null } = {}) {
	const timers = countedTimers(timeScale);
	const globals = {
		Zotero: zotero,
		Services: {
			scriptloader: {
				loadSubScriptWithOptions(url, { target }) {
					const file = url.replace(/^file:\/\//, '');
					const ctx = target;
					if (!vm.isContext(ctx)) {
						Object.setPrototypeOf(ctx, globals);
						vm.createContext(ctx);
					}
					vm.runInContext(fs.readFileSync(file, 'utf8'), ctx, { filename: file });
				},
			},
			prompt: { confirm: prompt },
			locale: { availableLocales: ZOTERO_LOCALES, appLocaleAsBCP47: zotero.l10n?.appLocale || 'en-US' },
		},
		ChromeUtils: { importESModule: (url) => {
			if (url === 'resource://gre/modules/Subprocess.sys.mjs' && Subprocess) return { Subprocess };
			throw new Error(`no ${url} in this test`);
		} },
		IOUtils: {
			// an installed /usr/bin/sieve must not take part in the tests
			exists: async p => !/^\/usr(\/local)?\/bin\/sieve$/.test(p) && fs.existsSync(p),
			readUTF8: async p => fs.readFileSync(p, 'utf8'),
		},
		PathUtils: { join: (...parts) => path.join(...parts) },
		Localization: zotero.l10n
			? zotero.l10n.localizationClass()
			: class {
				formatValueSync(id, args) {
					return `${id} ${JSON.stringify(args || {})}`;
				}
			},
		setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout, console, APP_SHUTDOWN: 2, ADDON_DISABLE: 4,
		pendingTimers: () => timers.pending.size,
	};
	return globals;
}

/** Loads bootstrap.js the way Zotero does (the plugin's locales registered first) and returns its scope. */
function loadBootstrap(globals) {
	globals.Zotero.l10n?.registerPlugin('sieve@sieve.invalid', ROOT);
	const scope = {};
	globals.Services.scriptloader.loadSubScriptWithOptions(`${ROOT_URI}bootstrap.js`, { target: scope });
	return scope;
}

module.exports = { ROOT, ROOT_URI, fakeWindow, addChromeAPI, sandbox, loadBootstrap, windowResources };
