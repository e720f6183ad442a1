/* eslint-disable no-undef */
// Default preferences (read by Zotero 7/8 for bootstrap extensions).
pref("extensions.sieve.port", 23120);
pref("extensions.sieve.helperPath", "");
pref("extensions.sieve.stateDir", "");
pref("extensions.sieve.tagPrefix", "sieve/");
pref("extensions.sieve.manualTags", false);
pref("extensions.sieve.autoTag", true);
pref("extensions.sieve.writeNotes", true);
