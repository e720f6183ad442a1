/* global SieveCommands */
/* exported SieveMenus */
// Menus: on Zotero 8 and later through Zotero.MenuManager.registerMenu (item context menu and
// Tools menu), on Zotero 7 as menuitems added to #zotero-itemmenu and #menu_ToolsPopup of each
// main window. Contract: everything added is removed by unregisterGlobal() / removeFromWindow(),
// listeners included.
'use strict';

var SieveMenus = {

	/** @type {string[]} */
	menuIDs: [],
	ELEMENT_IDS: ['sieve-itemmenu-sep',
		'sieve-itemmenu-classify',
		'sieve-itemmenu-undo',
		'sieve-tools-sep',
		'sieve-tools-retag',
		'sieve-tools-undo'],

	/** Per window: the Tools menu's popupshowing listener, removed with the menuitems. */
	toolsListeners: new WeakMap(),

	hasMenuManager() {
		return typeof (/** @type {any} */ (Zotero).MenuManager?.registerMenu) === 'function';
	},

	/**
	 * Zotero 8+: menus registered once for every window. registerMenu() validates the options and
	 * returns false when they are invalid (8.0-10.0 xpcom/pluginAPI/menuManager.js,
	 * MenuManagerInternal#_validate): the item menu ("main/library/item") is a grouped target, on
	 * which Zotero adds its own separator and refuses any top-level separator. A rejected
	 * registration is logged, not fatal.
	 * @param {any} sieve
	 */
	registerGlobal(sieve) {
		if (!this.hasMenuManager()) return;
		const manager = /** @type {any} */ (Zotero).MenuManager;
		const win = () => Zotero.getMainWindow();
		const items = (/** @type {any} */ ctx) => (ctx && ctx.items) || [];
		const itemMenu = manager.registerMenu({
			menuID: 'sieve-item', pluginID: sieve.id, target: 'main/library/item',
			menus: [
				{
					menuType: 'menuitem', l10nID: 'sieve-menu-classify',
					onCommand: (/** @type {any} */ _e, /** @type {any} */ ctx) => SieveCommands.classify(sieve, items(ctx)),
				},
				{
					menuType: 'menuitem', l10nID: 'sieve-menu-undo',
					onCommand: (/** @type {any} */ _e, /** @type {any} */ ctx) => SieveCommands.undo(sieve, items(ctx)),
				},
			],
		});
		const toolsMenu = manager.registerMenu({
			menuID: 'sieve-tools', pluginID: sieve.id, target: 'main/menubar/tools',
			menus: [
				{ menuType: 'separator' },
				{
					menuType: 'menuitem', l10nID: 'sieve-menu-retag',
					onShowing: (/** @type {any} */ _e, /** @type {any} */ ctx) => ctx.menuElem?.setAttribute('data-l10n-id',
						sieve.bulk ? 'sieve-menu-retag-cancel' : 'sieve-menu-retag'),
					onCommand: () => SieveCommands.retagLibrary(sieve, win()),
				},
				{
					menuType: 'menuitem', l10nID: 'sieve-menu-undo-library',
					onCommand: () => SieveCommands.undoLibrary(sieve, win()),
				},
			],
		});
		for (const [name, id] of [['item', itemMenu], ['Tools', toolsMenu]]) {
			if (!id) Zotero.logError(new Error(`Sieve: Zotero refused the ${name} menu (see the MenuAPI debug output)`));
		}
		this.menuIDs = [itemMenu, toolsMenu].filter(Boolean);
	},

	unregisterGlobal() {
		const manager = /** @type {any} */ (Zotero).MenuManager;
		for (const id of this.menuIDs) manager?.unregisterMenu(id);
		this.menuIDs = [];
	},

	/** Zotero 7: menuitems in this window. @param {any} sieve @param {Window} win */
	addToWindow(sieve, win) {
		if (this.hasMenuManager() || win.document.getElementById('sieve-itemmenu-classify')) return;
		const doc = win.document;
		const itemMenu = doc.getElementById('zotero-itemmenu');
		const tools = doc.getElementById('menu_ToolsPopup');
		const selected = () => /** @type {any} */ (win).ZoteroPane.getSelectedItems();
		if (itemMenu) {
			itemMenu.append(this.element(doc, 'menuseparator', 'sieve-itemmenu-sep'),
				this.element(doc, 'menuitem', 'sieve-itemmenu-classify', 'sieve-menu-classify',
					() => SieveCommands.classify(sieve, selected())),
				this.element(doc, 'menuitem', 'sieve-itemmenu-undo', 'sieve-menu-undo',
					() => SieveCommands.undo(sieve, selected())));
		}
		if (tools) {
			const retag = this.element(doc, 'menuitem', 'sieve-tools-retag', 'sieve-menu-retag',
				() => SieveCommands.retagLibrary(sieve, win));
			const onShowing = () => retag.setAttribute('data-l10n-id',
				sieve.bulk ? 'sieve-menu-retag-cancel' : 'sieve-menu-retag');
			tools.addEventListener('popupshowing', onShowing);
			this.toolsListeners.set(win, { tools, onShowing });
			tools.append(this.element(doc, 'menuseparator', 'sieve-tools-sep'), retag,
				this.element(doc, 'menuitem', 'sieve-tools-undo', 'sieve-menu-undo-library',
					() => SieveCommands.undoLibrary(sieve, win)));
		}
	},

	/**
	 * @param {Document} doc
	 * @param {string} tag
	 * @param {string} id
	 * @param {string} [l10nID]
	 * @param {() => any} [command]
	 */
	element(doc, tag, id, l10nID, command) {
		const el = /** @type {any} */ (doc).createXULElement(tag);
		el.id = id;
		if (l10nID) el.setAttribute('data-l10n-id', l10nID);
		if (command) el.addEventListener('command', command);
		return el;
	},

	/** @param {Window} win */
	removeFromWindow(win) {
		const listener = this.toolsListeners.get(win);
		if (listener) {
			listener.tools.removeEventListener('popupshowing', listener.onShowing);
			this.toolsListeners.delete(win);
		}
		for (const id of this.ELEMENT_IDS) win.document.getElementById(id)?.remove();
	},
};
