/* global SieveCommands, SieveMenus */
/* exported Sieve */
// The extension's life cycle: loads the plain modules of content/lib/ (CommonJS, also run under
// Node by the tests), wires them to Zotero (notifier observers, preference pane, menus), and
// removes everything on shutdown. Loaded by bootstrap.js into one scope with commands.js and
// menus.js.
'use strict';

const PREF_BRANCH = 'extensions.sieve.';
const MODULES = ['client',
	'items',
	'inflight',
	'apply',
	'classify',
	'undo',
	'bulk',
	'autotag',
	'feedback',
	'helper',
	'locales',
	'report'];

/**
 * Loads content/lib/<name>.js as CommonJS modules: each gets `module` and `require`.
 * @param {string} rootURI
 */
function loadModules(rootURI) {
	/** @type {Record<string, any>} */
	const loaded = {};
	const requireLib = (/** @type {string} */ path) => loaded[path.replace(/^\.\/|\.js$/g, '')];
	for (const name of MODULES) {
		const scope = { module: { exports: {} }, require: requireLib };
		Services.scriptloader.loadSubScriptWithOptions(`${rootURI}content/lib/${name}.js`,
			{ target: scope, ignoreCache: true });
		loaded[name] = scope.module.exports;
	}
	return loaded;
}

/** @param {string} name */
function pref(name) {
	return Zotero.Prefs.get(PREF_BRANCH + name, true);
}

var Sieve = {
	/** @type {string} */ id: '',
	/** @type {string} */ rootURI: '',
	/** @type {Record<string, any>} */ lib: {},
	/** @type {string[]} */ observerIDs: [],
	/** @type {any} */ helper: null,
	/** @type {any} */ inFlight: null,
	/** @type {any} */ autoTagger: null,
	/** @type {any} */ feedback: null,
	/** @type {any} */ bulk: null,
	/** @type {string | null} */ prefPaneID: null,
	/** @type {string | null} */ quietFailure: null,
	/** @type {any} */ l10nSources: null,

	/** @param {{ id: string, version: string, rootURI: string }} data */
	async startup({ id, rootURI }) {
		this.id = id;
		this.rootURI = rootURI;
		this.lib = loadModules(rootURI);
		this.inFlight = new this.lib.inflight.InFlight();
		this.helper = new this.lib.helper.HelperManager({
			http: Zotero.HTTP, settings: () => this.settings(), readToken, spawn, joinPath: PathUtils.join,
		});
		this.registerObservers();
		this.prefPaneID = await Zotero.PreferencePanes.register({
			pluginID: id, src: `${rootURI}content/preferences.xhtml`, label: 'Sieve',
			image: `${rootURI}content/icons/sieve.svg`,
		});
		SieveMenus.registerGlobal(this);
		for (const win of Zotero.getMainWindows()) this.onMainWindowLoad(win);
	},

	registerObservers() {
		const { AutoTagger } = this.lib.autotag;
		const { TagFeedback } = this.lib.feedback;
		this.autoTagger = new AutoTagger({
			Zotero, isEnabled: () => !!pref('autoTag'),
			process: (/** @type {Zotero.Item[]} */ items) => SieveCommands.classify(this, items, { quiet: true }),
			onError: (/** @type {any} */ e) => Zotero.logError(e),
		});
		this.feedback = new TagFeedback({
			Zotero, client: () => this.client(), prefix: () => this.prefix(), inFlight: this.inFlight,
			onError: (/** @type {any} */ e) => Zotero.debug(`Sieve: feedback not sent: ${e}`),
			setTimeout, clearTimeout,
		});
		this.observerIDs.push(Zotero.Notifier.registerObserver(this.autoTagger, ['item'], 'sieve-autotag'));
		this.observerIDs.push(Zotero.Notifier.registerObserver(this.feedback, ['item-tag'], 'sieve-feedback'));
	},

	/** What the helper manager needs, from the preferences. */
	settings() {
		const dataDir = Zotero.DataDirectory.dir;
		return {
			port: Number(pref('port')) || 23120,
			stateDir: String(pref('stateDir') || '') || PathUtils.join(dataDir, 'sieve'),
			executable: String(pref('helperPath') || ''),
			dbPath: PathUtils.join(dataDir, 'zotero.sqlite'),
			tagPrefix: this.prefix(),
			llm: {
				model: String(pref('llmModel') || ''),
				url: String(pref('llmUrl') || ''),
				mode: String(pref('llmMode') || ''),
			},
		};
	},

	prefix() {
		return String(pref('tagPrefix') || 'sieve/');
	},

	/** The helper's client, once its tag prefix is known to match the preference. */
	async client() {
		const client = await this.helper.client();
		const served = client.info && client.info.tag_prefix;
		if (served && served !== this.prefix()) {
			throw new this.lib.client.SieveError('prefix_mismatch', `The Sieve helper uses the tag prefix `
				+ `"${served}" but the preferences say "${this.prefix()}": restart the helper or change the preference`);
		}
		client.tagType = pref('manualTags') ? 0 : 1; // plans add, remove and undo tags of this type
		return client;
	},

	/** What lib/report.js's reportCommand needs (the menus' "Library report"; docs/report.md). */
	reportDeps() {
		return {
			client: () => this.client(), Zotero, IOUtils, PathUtils,
			notify: (/** @type {string} */ m) => Zotero.alert(null, 'Sieve', m),
		};
	},

	/** Options of applyPlans() from the preferences. */
	applyOptions() {
		return {
			prefix: this.prefix(), tagType: pref('manualTags') ? 0 : 1,
			writeNotes: pref('writeNotes') !== false, inFlight: this.inFlight,
		};
	},

	/** @param {Window} win */
	onMainWindowLoad(win) {
		this.registerLocales(win);
		/** @type {any} */ (win).MozXULElement.insertFTLIfNeeded('sieve.ftl');
		SieveMenus.addToWindow(this, win);
	},

	/**
	 * Makes sieve.ftl exist for every Zotero locale, so that the windows it is linked into (the
	 * main window, the settings) keep Zotero's own strings in the user's language. Zotero 7.0 to
	 * 9.0.1 register a plugin's locale/ folders only for the Zotero locales they match
	 * (xpcom/plugins.js, registerLocales()), and Fluent gives a document a locale only when all its
	 * required resources exist in it: elsewhere the whole window fell back to en-US. Zotero 9.0.2
	 * and 10.0 register one "zotero-plugins" source covering every locale themselves (PR #5896);
	 * then nothing is added. The registry is reached through a main window (the bootstrap scope
	 * has no L10nRegistry); the sources are removed on shutdown.
	 * @param {any} win
	 */
	registerLocales(win) {
		if (this.l10nSources || !win.L10nRegistry || !win.L10nFileSource) return;
		try {
			const registry = win.L10nRegistry.getInstance();
			const plan = this.lib.locales.fallbackSources({
				pluginID: this.id, zoteroLocales: Services.locale.availableLocales,
				hasSource: (/** @type {string} */ name) => registry.hasSource(name),
			});
			const sources = plan.map(p => new win.L10nFileSource(p.name, 'app', p.locales, `${this.rootURI}locale/${p.folder}/`));
			if (sources.length) registry.registerSources(sources);
			this.l10nSources = { registry, names: plan.map(p => p.name) };
		}
		catch (e) {
			Zotero.logError(e);
		}
	},

	/** @param {Window} win */
	onMainWindowUnload(win) {
		SieveMenus.removeFromWindow(win);
		win.document.querySelector('[href="sieve.ftl"]')?.remove();
	},

	stopHelper() {
		this.helper?.stop();
	},

	shutdown() {
		for (const id of this.observerIDs) Zotero.Notifier.unregisterObserver(id);
		this.observerIDs = [];
		this.autoTagger?.stop();
		this.feedback?.stop();
		this.bulk?.cancel().catch(() => {});
		for (const win of Zotero.getMainWindows()) this.onMainWindowUnload(win);
		SieveMenus.unregisterGlobal();
		if (this.prefPaneID) Zotero.PreferencePanes.unregister(this.prefPaneID);
		if (this.l10nSources?.names.length) this.l10nSources.registry.removeSources(this.l10nSources.names);
		this.l10nSources = null;
		this.stopHelper();
	},
};

/** @param {string} path */
async function readToken(path) {
	if (!(await IOUtils.exists(path))) return null;
	return IOUtils.readUTF8(path);
}

/** Where the Debian package (and `make install`) put the helper, for a Zotero started with a bare PATH. */
const HELPER_DIRS = ['/usr/bin', '/usr/local/bin'];

/**
 * The absolute path of a command: as given when it has a slash, else looked up on PATH
 * (Subprocess.pathSearch() rejects when it is not there), then in HELPER_DIRS.
 * @param {any} Subprocess
 * @param {string} command
 */
async function findProgram(Subprocess, command) {
	if (command.includes('/')) return command;
	try {
		return await Subprocess.pathSearch(command);
	}
	catch (e) {
		for (const dir of HELPER_DIRS) {
			const path = PathUtils.join(dir, command);
			if (await IOUtils.exists(path)) return path;
		}
		throw e;
	}
}

/**
 * Starts the helper; its output goes to Zotero's debug log. Subprocess.call() needs an absolute
 * path; the child inherits Zotero's environment.
 * @param {string} command
 * @param {string[]} args
 */
async function spawn(command, args) {
	const { Subprocess } = ChromeUtils.importESModule('resource://gre/modules/Subprocess.sys.mjs');
	const path = await findProgram(Subprocess, command);
	const proc = await Subprocess.call({ command: path, arguments: args, stderr: 'stdout' });
	(async () => {
		let text;
		while ((text = await proc.stdout.readString())) Zotero.debug(`sieve serve: ${text.trim()}`);
	})().catch(() => {});
	return { kill: () => proc.kill(), exited: proc.wait() };
}
