// Zotero.MenuManager of Zotero 8, 9 and 10 (own code, written from reading 8.0-10.0
// xpcom/pluginAPI/menuManager.js and pluginAPIBase.mjs): registerMenu() validates the options as
// Zotero does and returns false (with a "MenuAPI: ..." debug line) when they are invalid:
// known targets only, menuType one of menuitem/separator/submenu, `menus` a non-empty array, no
// top-level separator on the grouped targets (the item and collection context menus, where Zotero
// adds its own separator), typed options (l10nID a string, hooks functions), a menuID unique per
// plugin; the returned ID is "<pluginID>-<menuID>", CSS-escaped. show() builds a target's popup
// the way Zotero does when it opens (grouping separator first) and runs onShowing; click() runs
// onCommand with the context Zotero passes (items, plus collectionTreeRow on 8 and 9, a throwing
// collectionTreeRow getter and collectionTreeRows on 10). Labels are looked up in the window's
// Fluent resources: an l10nID without a label is recorded in `problems`.
'use strict';

const VALID_TARGETS = ['main/menubar/file',
	'main/menubar/edit',
	'main/menubar/view',
	'main/menubar/go',
	'main/menubar/tools',
	'main/menubar/help',
	'main/library/item',
	'main/library/collection',
	'main/library/addAttachment',
	'main/library/addNote',
	'main/tab',
	'reader/menubar/file',
	'reader/menubar/edit',
	'reader/menubar/view',
	'reader/menubar/go',
	'reader/menubar/window',
	'itemPane/info/row',
	'notesPane/addItemNote',
	'notesPane/addStandaloneNote',
	'sidenav/locate'];
const GROUPED_TARGETS = ['main/library/collection', 'main/library/item'];
const MENU_TYPES = ['menuitem', 'separator', 'submenu'];
const TYPED = { l10nID: 'string', icon: 'string', darkIcon: 'string', onShowing: 'function', onShown: 'function',
	onHiding: 'function', onHidden: 'function', onCommand: 'function' };

class FakeMenuManager {
	/** @param {{ version: number, debug: (s: string) => void, label: (id: string) => string | null }} env */
	constructor(env) {
		this.env = env;

		/** @type {Map<string, any>} */
		this.registered = new Map();

		/** @type {string[]} */
		this.problems = [];
	}

	/** @returns {string | false} */
	registerMenu(options) {
		const invalid = this.check(options);
		if (invalid) {
			this.env.debug(`MenuAPI: ${invalid}`);
			return false;
		}
		const key = `${options.pluginID}-${options.menuID}`.replace(/[^\w-]/g, c => `\\${c}`);
		this.registered.set(key, { ...options, menuID: key });
		return key;
	}

	unregisterMenu(id) {
		if (!this.registered.has(id)) {
			this.env.debug(`MenuAPI: Can't remove unknown option '${id}'`);
			return false;
		}
		this.registered.delete(id);
		return true;
	}

	/** Why Zotero would refuse these options, or ''. */
	check(o) {
		if (!o || typeof o.menuID !== 'string' || typeof o.pluginID !== 'string') return "Option must have menuID and pluginID (strings)";
		if (!VALID_TARGETS.includes(o.target)) return `Option 'target' must be one of ${VALID_TARGETS.join(', ')}, got ${o.target}`;
		const key = `${o.pluginID}-${o.menuID}`.replace(/[^\w-]/g, c => `\\${c}`);
		if (this.registered.has(key)) return `'menuID' must be unique, got ${key}`;
		if (!Array.isArray(o.menus)) return "Option must have [\"menus\"] (an array)";
		if (!o.menus.length) return "Invalid menu: 'menus' property must not be empty";
		if (GROUPED_TARGETS.includes(o.target) && o.menus.some(m => m && m.menuType === 'separator')) {
			return `Invalid menu: top-level separators are not allowed for target ${o.target}`;
		}
		for (const [i, m] of o.menus.entries()) {
			const bad = this.checkMenu(m, `menus[${i}]`);
			if (bad) return bad;
		}
		return '';
	}

	checkMenu(m, where) {
		if (!m || !MENU_TYPES.includes(m.menuType)) return `${where}: Option 'type' must be one of ${MENU_TYPES.join(', ')}, got ${m && m.menuType}`;
		for (const [k, type] of Object.entries(TYPED)) {
			if (m[k] !== undefined && typeof m[k] !== type) return `Option ${where}["${k}"] must be ${type}, got ${typeof m[k]}`;
		}
		if (m.l10nArgs !== undefined && typeof m.l10nArgs !== 'object' && (this.env.version < 9 || typeof m.l10nArgs !== 'string')) {
			return `Option ${where}["l10nArgs"] has the wrong type`;
		}
		if (m.menuType === 'submenu') {
			if (!Array.isArray(m.menus)) return `Invalid submenu: ${where} missing 'menus' property`;
			for (const [i, sub] of m.menus.entries()) {
				const bad = this.checkMenu(sub, `${where}.menus[${i}]`);
				if (bad) return bad;
			}
		}
		return '';
	}

	/**
	 * The popup of a target as the user sees it when it opens: [{ type, l10nID, label, disabled,
	 * hidden, entry }] (separator first on grouped targets), after the onShowing hooks ran.
	 * @param {string} target @param {{ items?: any[] }} [context]
	 */
	show(target, context = {}) {
		const entries = [...this.registered.values()].filter(o => o.target === target)
			.sort((a, b) => a.menuID.localeCompare(b.menuID)).flatMap(o => o.menus);
		if (!entries.length) return [];
		const shown = GROUPED_TARGETS.includes(target) ? [{ type: 'separator', zotero: true }] : [];
		for (const entry of entries) {
			const row = { type: entry.menuType, entry, attributes: { 'data-l10n-id': entry.l10nID }, hidden: false, disabled: false };
			const ctx = this.context(target, row, context);
			row.ctx = ctx;
			try {
				entry.onShowing?.({ type: 'popupshowing' }, ctx);
			}
			catch (e) {
				this.env.debug(`MenuAPI: Error in execution of onShowing: ${e}`);
			}
			const l10nID = row.attributes['data-l10n-id'];
			if (entry.menuType !== 'separator') {
				row.label = l10nID ? this.env.label(l10nID) : null;
				if (!row.label) this.problems.push(`menu entry without a label (l10nID ${l10nID})`);
			}
			shown.push(row);
		}
		return shown;
	}

	/** Clicks an entry of show()'s result. */
	click(row) {
		return row.entry.onCommand?.({ type: 'command' }, row.ctx);
	}

	context(target, row, context) {
		const menuElem = {
			setAttribute: (k, v) => {
				row.attributes[k] = v;
			},
			getAttribute: k => row.attributes[k],
		};
		const ctx = { menuElem, setEnabled: (on) => {
			row.disabled = !on;
		}, setVisible: (on) => {
			row.hidden = !on;
		}, items: context.items || [], tabType: 'library', tabID: 'zotero-pane' };
		if (target !== 'main/library/item') return ctx;
		if (this.env.version >= 10) {
			Object.defineProperty(ctx, 'collectionTreeRow', { enumerable: true, get() {
				throw new Error('collectionTreeRow was removed -- use collectionTreeRows');
			} });
			ctx.collectionTreeRows = [{ ref: { libraryID: 1 } }];
		}
		else ctx.collectionTreeRow = { ref: { libraryID: 1 } };
		return ctx;
	}
}

module.exports = { FakeMenuManager, VALID_TARGETS, GROUPED_TARGETS };
