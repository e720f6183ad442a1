/* global SieveCommands */
/* exported SieveMenus */
// Menus: on Zotero 8 through Zotero.MenuManager.registerMenu (item context menu and Tools menu),
// on Zotero 7 as menuitems added to #zotero-itemmenu and #menu_ToolsPopup of each main window.
// Contract: everything added is removed by unregisterGlobal() / removeFromWindow().
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

	hasMenuManager() {
		return typeof (/** @type {any} */ (Zotero).MenuManager?.registerMenu) === 'function';
	},

	/** Zotero 8: menus registered once for every window. @param {any} sieve */
	registerGlobal(sieve) {
		if (!this.hasMenuManager()) return;
		const manager = /** @type {any} */ (Zotero).MenuManager;
		const win = () => Zotero.getMainWindow();
		const itemMenu = manager.registerMenu({
			menuID: 'sieve-item', pluginID: sieve.id, target: 'main/library/item',
			menus: [
				{ menuType: 'separator' },
				{
					menuType: 'menuitem', l10nID: 'sieve-menu-classify',
					onCommand: (/** @type {any} */ _e, /** @type {any} */ ctx) => SieveCommands.classify(sieve, ctx.items || []),
				},
				{
					menuType: 'menuitem', l10nID: 'sieve-menu-undo',
					onCommand: (/** @type {any} */ _e, /** @type {any} */ ctx) => SieveCommands.undo(sieve, ctx.items || []),
				},
			],
		});
		const toolsMenu = manager.registerMenu({
			menuID: 'sieve-tools', pluginID: sieve.id, target: 'main/menubar/tools',
			menus: [
				{ menuType: 'separator' },
				{
					menuType: 'menuitem', l10nID: 'sieve-menu-retag',
					onShowing: (/** @type {any} */ _e, /** @type {any} */ ctx) => ctx.menuElem.setAttribute('data-l10n-id',
						sieve.bulk ? 'sieve-menu-retag-cancel' : 'sieve-menu-retag'),
					onCommand: () => SieveCommands.retagLibrary(sieve, win()),
				},
				{
					menuType: 'menuitem', l10nID: 'sieve-menu-undo-library',
					onCommand: () => SieveCommands.undoLibrary(sieve, win()),
				},
			],
		});
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
			tools.addEventListener('popupshowing', () => retag.setAttribute('data-l10n-id',
				sieve.bulk ? 'sieve-menu-retag-cancel' : 'sieve-menu-retag'));
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
		for (const id of this.ELEMENT_IDS) win.document.getElementById(id)?.remove();
	},
};
