// Fluent as Zotero's windows use it, reduced to what decides the language a window shows (own
// code, written from reading Zotero 7.0-10.0 xpcom/plugins.js registerLocales() and Mozilla's
// l10nregistry): L10nRegistry sources (name, locales, files), documents whose <link
// rel="localization"> resources are required, and the rule that a locale's bundle exists only
// when every required resource of the document exists in that locale; otherwise the window takes
// the next locale asked for (en-US), for Zotero's own strings too.
// Zotero registers a plugin's locale/ folders when the plugin starts: 7.0 to 9.0.1 one source
// named after the plugin for the folders that are Zotero locales, 9.0.2 and 10.0 one
// "zotero-plugins" source giving every Zotero locale the plugin's closest file (PR #5896).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** Some of Zotero's locales (chrome/locale/ of 7.0-10.0), enough to tell the cases apart. */
const ZOTERO_LOCALES = ['en-US', 'en-GB', 'de', 'fr-FR', 'zh-CN', 'ja-JP', 'pt-BR'];

/** Zotero's own resources of the main window and of the settings window. */
const ZOTERO_RESOURCES = { main: ['zotero.ftl', 'branding/brand.ftl'], prefs: ['zotero.ftl', 'preferences.ftl'] };

/**
 * Messages of an .ftl file: id -> { value, attributes } (messages, attributes and indented
 * continuation lines: what sieve.ftl uses).
 * @param {string} text
 */
function parseFTL(text) {
	/** @type {Map<string, { value: string, attributes: Record<string, string> }>} */
	const messages = new Map();
	let current = null;
	let target = null;
	for (const line of text.split('\n')) {
		if (/^\s*#/.test(line) || !line.trim()) continue;
		const msg = /^([a-zA-Z][\w-]*)\s*=\s*(.*)$/.exec(line);
		const attr = /^\s+\.([a-zA-Z][\w-]*)\s*=\s*(.*)$/.exec(line);
		if (msg) {
			current = { value: msg[2].trim(), attributes: {} };
			messages.set(msg[1], current);
			target = null;
		}
		else if (attr && current) {
			current.attributes[attr[1]] = attr[2].trim();
			target = attr[1];
		}
		else if (/^\s+\S/.test(line) && current) {
			if (target) current.attributes[target] += ` ${line.trim()}`;
			else current.value = `${current.value} ${line.trim()}`.trim();
		}
		else throw new Error(`FTL syntax error: ${line}`);
	}
	return messages;
}

/** @param {string} pattern @param {Record<string, any>} [args] */
function formatPattern(pattern, args = {}) {
	return pattern.replace(/\{\s*\$([\w-]+)\s*\}/g, (_, name) => (name in args ? String(args[name]) : `{$${name}}`));
}

class FakeL10nFileSource {
	/**
	 * A source of files: prePath (file: URL, `{locale}` replaced) + resource path.
	 * @param {string} name @param {string} metaSource @param {string[]} locales @param {string} prePath
	 */
	constructor(name, metaSource, locales, prePath) {
		this.name = name;
		this.metaSource = metaSource;
		this.locales = [...locales];
		this.prePath = prePath;

		/** @type {Map<string, string> | null} mock sources: full path -> text */
		this.mock = null;
	}

	static createMock(name, metaSource, locales, prePath, files) {
		const s = new FakeL10nFileSource(name, metaSource, locales, prePath);
		s.mock = new Map(files.map(f => [f.path, f.source]));
		return s;
	}

	/** The file's text in a locale, or null. @param {string} locale @param {string} resource */
	read(locale, resource) {
		if (!this.locales.includes(locale)) return null;
		const full = this.prePath.replace('{locale}', locale) + resource;
		if (this.mock) return this.mock.get(full) ?? null;
		const file = full.replace(/^file:\/\//, '');
		return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
	}
}

class FakeL10nRegistry {
	constructor() {
		/** @type {Map<string, FakeL10nFileSource>} */
		this.sources = new Map();
	}

	registerSources(sources) {
		for (const s of sources) {
			if (this.sources.has(s.name)) throw new Error(`L10nRegistry: a source named ${s.name} is registered already`);
			this.sources.set(s.name, s);
		}
	}

	updateSources(sources) {
		for (const s of sources) this.sources.set(s.name, s);
	}

	removeSources(names) {
		for (const n of names) this.sources.delete(n);
	}

	hasSource(name) {
		return this.sources.has(name);
	}

	getSourceNames() {
		return [...this.sources.keys()];
	}

	/** @param {string} locale @param {string} resource */
	read(locale, resource) {
		for (const s of this.sources.values()) {
			const text = s.read(locale, resource);
			if (text !== null) return text;
		}
		return null;
	}
}

/** The registry of a fake Zotero: Zotero's own files, plus the plugin's as that version registers them. */
class FakeL10n {
	/** @param {{ version: string, appLocale?: string }} opts */
	constructor({ version, appLocale = 'en-US' }) {
		this.version = version;
		this.appLocale = appLocale;
		this.registry = new FakeL10nRegistry();
		const files = ZOTERO_LOCALES.flatMap(l => [...new Set(Object.values(ZOTERO_RESOURCES).flat())]
			.map(r => ({ path: `zotero:${l}/${r}`, source: `zotero-${r.replace(/\W/g, '-')} = ${l}\n` })));
		this.registry.registerSources([FakeL10nFileSource.createMock('zotero', 'app', ZOTERO_LOCALES, 'zotero:{locale}/', files)]);

		/** @type {string[]} message ids asked for that no bundle had */
		this.missing = [];
	}

	/** Zotero 9.0.2 and later register every plugin locale for every Zotero locale. */
	unifiedSources() {
		const [major, minor, patch] = this.version.split('.').map(n => parseInt(n) || 0);
		return major > 9 || (major === 9 && (minor > 0 || patch >= 2));
	}

	/**
	 * What Zotero does with the plugin's locale/ folders before startup(). @param {string} id @param {string} root
	 */
	registerPlugin(id, root) {
		const dir = path.join(root, 'locale');
		const locales = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
		if (!locales.length) return;
		if (!this.unifiedSources()) {
			const matched = locales.filter(l => ZOTERO_LOCALES.includes(l));
			if (matched.length) {
				this.registry.registerSources([new FakeL10nFileSource(id, 'app', matched, `file://${dir}/{locale}/`)]);
			}
			return;
		}
		const files = [];
		for (const zl of ZOTERO_LOCALES) {
			const lang = zl.split('-')[0];
			const pick = locales.find(l => l === zl) || locales.find(l => l.split('-')[0] === lang)
				|| locales.find(l => l.startsWith('en')) || locales[0];
			for (const f of fs.readdirSync(path.join(dir, pick))) {
				files.push({ path: `zotero-plugins:${zl}/${f}`, source: fs.readFileSync(path.join(dir, pick, f), 'utf8') });
			}
		}
		this.registry.registerSources([FakeL10nFileSource.createMock('zotero-plugins', 'app', ZOTERO_LOCALES, 'zotero-plugins:{locale}/', files)]);
	}

	/**
	 * The locales of a document's bundles, first one first: the app locale, then en-US, each only
	 * if every required resource exists in it.
	 * @param {string[]} resources
	 */
	bundleLocales(resources) {
		const asked = [...new Set([this.appLocale, 'en-US'])];
		return asked.filter(l => resources.every(r => this.registry.read(l, r) !== null));
	}

	/** The locale a window with these resources shows Zotero's strings in (null: none). */
	windowLocale(resources) {
		return this.bundleLocales(resources)[0] || null;
	}

	/**
	 * A message's value (or attribute: the first of a list that it has) as that window shows it,
	 * or null (and noted in `missing`).
	 * @param {string[]} resources @param {string} id
	 * @param {{ attribute?: string | (string | undefined)[], args?: Record<string, any> }} [opts]
	 */
	format(resources, id, opts = {}) {
		for (const locale of this.bundleLocales(resources)) {
			for (const r of resources) {
				const msg = parseFTL(this.registry.read(locale, r) || '').get(id);
				for (const attribute of [opts.attribute].flat()) {
					const pattern = msg && (attribute ? msg.attributes[attribute] : msg.value);
					if (pattern !== undefined && pattern !== '') return formatPattern(pattern, opts.args);
				}
			}
		}
		this.missing.push(id);
		return null;
	}

	/** The sandbox's Localization class: new Localization(resourceIds, sync). */
	localizationClass() {
		const l10n = this; // eslint-disable-line consistent-this
		return class {
			constructor(resources) {
				this.resources = resources;
			}

			formatValueSync(id, args) {
				return l10n.format(this.resources, id, { args });
			}
		};
	}
}

module.exports = { FakeL10n, FakeL10nRegistry, FakeL10nFileSource, parseFTL, ZOTERO_LOCALES, ZOTERO_RESOURCES };
