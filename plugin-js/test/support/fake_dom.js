// A few DOM nodes for the fake windows: elements with attributes, children, listeners (added and
// removed), and a document that finds them by id or [href].
'use strict';

class FakeElement {
	/** @param {FakeDocument} doc @param {string} tag */
	constructor(doc, tag) {
		this.ownerDocument = doc;
		this.tagName = tag;
		this.id = '';
		this.attributes = {};
		this.children = [];
		this.parent = null;
		this.listeners = {};
		this.disabled = false;
	}

	get parentNode() {
		return this.parent;
	}

	get nextSibling() {
		if (!this.parent) return null;
		const siblings = this.parent.children;
		return siblings[siblings.indexOf(this) + 1] || null;
	}

	setAttribute(k, v) {
		this.attributes[k] = String(v);
	}

	getAttribute(k) {
		return this.attributes[k] ?? null;
	}

	addEventListener(type, fn) {
		(this.listeners[type] ||= []).push(fn);
	}

	removeEventListener(type, fn) {
		this.listeners[type] = (this.listeners[type] || []).filter(f => f !== fn);
	}

	dispatch(type) {
		for (const fn of this.listeners[type] || []) fn({ type, target: this, currentTarget: this });
	}

	append(...els) {
		for (const el of els) this.insertBefore(el, null);
	}

	appendChild(el) {
		return this.insertBefore(el, null);
	}

	insertBefore(el, ref) {
		el.remove();
		el.parent = this;
		const at = ref ? this.children.indexOf(ref) : -1;
		if (at < 0) this.children.push(el);
		else this.children.splice(at, 0, el);
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
	}

	createXULElement(tag) {
		return new FakeElement(this, tag);
	}

	createElement(tag) {
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

module.exports = { FakeElement, FakeDocument };
