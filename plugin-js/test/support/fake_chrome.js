// Stand-ins for what bootstrap.js and content/*.js use besides Zotero's data API: the sandbox's
// Services.scriptloader (runs the files with node:vm, like loadSubScript into a target object),
// a main window with the two menus, Zotero.PreferencePanes, Zotero.MenuManager (Zotero 8),
// Zotero.ProgressWindow, Localization, IOUtils and PathUtils.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const ROOT = path.resolve(__dirname, '../..');
const ROOT_URI = `file://${ROOT}/`;

class FakeElement {
	/** @param {FakeDocument} doc @param {string} tag */
	constructor(doc, tag) {
		this.doc = doc;
		this.tagName = tag;
		this.id = '';
		this.attributes = {};
		this.children = [];
		this.parent = null;
		this.listeners = {};
	}

	setAttribute(k, v) {
		this.attributes[k] = v;
	}

	getAttribute(k) {
		return this.attributes[k];
	}

	addEventListener(type, fn) {
		(this.listeners[type] ||= []).push(fn);
	}

	dispatch(type) {
		for (const fn of this.listeners[type] || []) fn({ type });
	}

	append(...els) {
		for (const el of els) {
			el.parent = this;
			this.children.push(el);
		}
	}

	appendChild(el) {
		this.append(el);
		return el;
	}

	remove() {
		if (this.parent) this.parent.children = this.parent.children.filter(c => c !== this);
		this.parent = null;
	}
}

class FakeDocument {
	constructor() {
		this.root = new FakeElement(this, 'window');
		for (const id of ['zotero-itemmenu', 'menu_ToolsPopup']) {
			const el = new FakeElement(this, 'menupopup');
			el.id = id;
			this.root.append(el);
		}
	}

	createXULElement(tag) {
		return new FakeElement(this, tag);
	}

	all(el = this.root) {
		return [el, ...el.children.flatMap(c => this.all(c))];
	}

	getElementById(id) {
		return this.all().find(e => e.id === id) || null;
	}

	querySelector(sel) {
		const m = /^\[href="(.*)"\]$/.exec(sel);
		return m ? this.all().find(e => e.attributes.href === m[1]) || null : null;
	}
}

function fakeWindow(selected = []) {
	const document = new FakeDocument();
	return {
		document,
		MozXULElement: {
			insertFTLIfNeeded: (name) => {
				if (document.querySelector(`[href="${name}"]`)) return;
				const link = document.createXULElement('link');
				link.setAttribute('href', name);
				document.root.append(link);
			},
		},
		ZoteroPane: { getSelectedItems: () => selected, getSelectedLibraryID: () => 1 },
	};
}

/** Adds the window-level Zotero API the glue uses to a FakeZotero. */
function addChromeAPI(zotero, { window, zotero8 = false }) {
	const log = { panes: [], menus: [], progress: [] };
	zotero.PreferencePanes = {
		register: async (opts) => {
			log.panes.push(opts);
			return 'sieve-pane';
		},
		unregister: (id) => {
			log.panes = log.panes.filter(() => id !== 'sieve-pane');
		},
	};
	if (zotero8) {
		zotero.MenuManager = {
			registerMenu: (opts) => {
				log.menus.push(opts);
				return opts.menuID;
			},
			unregisterMenu: (id) => {
				log.menus = log.menus.filter(m => m.menuID !== id);
			},
		};
	}
	zotero.getMainWindows = () => [window];
	zotero.getMainWindow = () => window;
	zotero.ProgressWindow = function () {
		const pw = { lines: [], descriptions: [], closed: false };
		log.progress.push(pw);
		pw.changeHeadline = t => pw.lines.push(t);
		pw.document = new FakeDocument();
		pw.ItemProgress = function () {
			const row = pw.document.createXULElement('hbox');
			pw.document.root.append(row);
			this._hbox = row;
			row.ownerDocument = pw.document;
			row.parentNode = pw.document.root;
			this.setText = t => pw.lines.push(t);
			this.setProgress = () => {};
			this.setError = () => {
				pw.error = true;
			};
		};
		pw.show = () => {};
		pw.addDescription = t => pw.descriptions.push(t);
		pw.startCloseTimer = () => {
			pw.closed = true;
		};
		return pw;
	};
	const prefs = zotero.Prefs;
	const run = { pref: (name, value) => prefs.set(name, value) };
	vm.runInNewContext(fs.readFileSync(path.join(ROOT, 'prefs.js'), 'utf8'), run);
	return log;
}

/** The sandbox globals of a bootstrap extension, and a loader that runs files in it. */
function sandbox(zotero, { prompt = () => true } = {}) {
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
		},
		ChromeUtils: { importESModule: () => {
			throw new Error('no Subprocess in tests');
		} },
		IOUtils: {
			exists: async p => fs.existsSync(p),
			readUTF8: async p => fs.readFileSync(p, 'utf8'),
		},
		PathUtils: { join: (...parts) => path.join(...parts) },
		Localization: class {
			formatValueSync(id, args) {
				return `${id} ${JSON.stringify(args || {})}`;
			}
		},
		setTimeout, clearTimeout, console, APP_SHUTDOWN: 2, ADDON_DISABLE: 4,
	};
	return globals;
}

/** Loads bootstrap.js the way Zotero does and returns its scope. */
function loadBootstrap(globals) {
	const scope = {};
	globals.Services.scriptloader.loadSubScriptWithOptions(`${ROOT_URI}bootstrap.js`, { target: scope });
	return scope;
}

module.exports = { ROOT, ROOT_URI, fakeWindow, addChromeAPI, sandbox, loadBootstrap };
