// The extension's locales and the Fluent sources that make sieve.ftl exist in every Zotero locale.
// Contract: fallbackSources() says which L10nFileSources to add so that each Zotero locale has a
// sieve.ftl (the closest one the extension ships: same locale, same language, else en-US), and
// adds none where Zotero already provides them: Zotero 9.0.2 and 10.0 register one
// "zotero-plugins" source for all plugins and all locales (xpcom/plugins.js,
// rebuildUnifiedPluginSource(), PR #5896); 7.0 to 9.0.1 register a source named after the plugin's
// ID for the plugin's locales that are Zotero locales (registerLocales()), and nothing else.
'use strict';

/** The folders of locale/: keep in step with them (a test checks). */
const PLUGIN_LOCALES = ['en-US', 'de'];
const UNIFIED_SOURCE = 'zotero-plugins';

/** @param {string} locale */
function language(locale) {
	return locale.split('-')[0].toLowerCase();
}

/**
 * The extension's locale shown for a Zotero locale.
 * @param {string} zoteroLocale
 */
function closestLocale(zoteroLocale) {
	if (PLUGIN_LOCALES.includes(zoteroLocale)) return zoteroLocale;
	return PLUGIN_LOCALES.find(l => language(l) === language(zoteroLocale)) || 'en-US';
}

/**
 * @param {object} opts
 * @param {string} opts.pluginID
 * @param {string[]} opts.zoteroLocales - Services.locale.availableLocales
 * @param {(name: string) => boolean} opts.hasSource - L10nRegistry#hasSource
 * @returns {{ name: string, locales: string[], folder: string }[]}
 */
function fallbackSources({ pluginID, zoteroLocales, hasSource }) {
	if (hasSource(UNIFIED_SOURCE)) return [];
	const covered = hasSource(pluginID) ? PLUGIN_LOCALES : [];

	/** @type {Map<string, string[]>} */
	const byFolder = new Map();
	for (const locale of zoteroLocales) {
		if (covered.includes(locale)) continue;
		const folder = closestLocale(locale);
		byFolder.set(folder, [...(byFolder.get(folder) || []), locale]);
	}
	return [...byFolder].map(([folder, locales]) => ({ name: `${pluginID}-fallback-${folder}`, locales, folder }))
		.filter(s => !hasSource(s.name));
}

module.exports = { PLUGIN_LOCALES, UNIFIED_SOURCE, closestLocale, fallbackSources };
