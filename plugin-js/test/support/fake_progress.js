// Zotero.ProgressWindow as 7.0-10.0 xpcom/progressWindow.js behaves (own code): the window opens
// on show() and loads a moment later; changeHeadline(), addDescription(), ItemProgress and its
// methods called before that wait for the load (an ItemProgress has its row, `_hbox`, only then);
// the window is sized to its content when it loads and by each addDescription() and new
// ItemProgress, never when a node is added from outside. `sizedWith` is what the last sizing
// saw; `closed` says the close timer was started (or the window closed).
'use strict';

const { FakeDocument } = require('./fake_dom.js');

/** ItemProgress: a row that exists once the window has loaded; new rows size the window. */
function itemProgress(pw, defer, box, size) {
	const ItemProgress = defer(function (_icon, text) {
		this._hbox = pw.document.createXULElement('hbox');
		this.text = text;
		box.append(this._hbox);
		size();
	});
	ItemProgress.prototype.setText = defer(function (text) {
		this.text = text;
		pw.lines.push(text);
	});
	ItemProgress.prototype.setProgress = defer(function (percent) {
		this.percent = percent;
	});
	ItemProgress.prototype.setError = defer(() => {
		pw.error = true;
	});
	return ItemProgress;
}

/** @param {{ progress: any[] }} log */
function fakeProgressWindow(log) {
	return function (options = {}) {
		const pw = this; // eslint-disable-line consistent-this
		const deferred = [];
		Object.assign(pw, { options, lines: [], descriptions: [], closed: false, error: false, loaded: false,
			headline: '', document: new FakeDocument(), sizedWith: [], sizings: 0 });
		const box = pw.document.createXULElement('vbox');
		box.id = 'zotero-progress-text-box';
		pw.document.root.append(box);
		const size = () => {
			pw.sizings++;
			pw.sizedWith = pw.document.all();
		};
		const defer = fn => function (...args) {
			if (pw.loaded) return fn.apply(this, args);
			deferred.push([fn, this, args]);
			return undefined;
		};
		pw.show = () => {
			if (pw.shown) return false;
			pw.shown = true;
			log.progress.push(pw);
			setTimeout(() => {
				pw.loaded = true;
				size();
				for (const [fn, self, args] of deferred.splice(0)) fn.apply(self, args);
				size();
			}, 5);
			return true;
		};
		pw.changeHeadline = defer((text) => {
			pw.headline = text;
		});
		pw.addDescription = defer((text) => {
			const row = pw.document.createXULElement('hbox');
			row.text = text;
			box.append(row);
			pw.descriptions.push(text);
			size();
		});
		pw.ItemProgress = itemProgress(pw, defer, box, size);
		pw.startCloseTimer = () => {
			if (pw.shown) pw.closed = true;
		};
		pw.close = () => {
			pw.closed = true;
		};

		/** The Cancel button, if one was added to the window. */
		pw.button = () => pw.document.all().find(e => e.tagName === 'button') || null;
	};
}

module.exports = { fakeProgressWindow };
