// Reading the extension's sandbox script (a webpack bundle) as text, and writing the program
// the isolated signer runs (runner.ts): the bundle's modules, a tiny webpack runtime and the
// few browser globals the Emscripten module expects, all made inside the sandbox's own realm
// so that nothing of Junction's is reachable from the extension's code (issue 11 point 12).
// Nothing here runs the bundle; this is text in, text out.

import { EXTENSION_ORIGIN } from './extension'

export interface ModuleSource {
  params: string[]
  body: string
}

const MODULE_START = /[{,]\s*(\d+)\s*:\s*(?:\(([\w$,\s]*)\)\s*=>|([\w$]+)\s*=>|function\s*\(([\w$,\s]*)\))\s*\{/g

/** Reads a template literal's text from `i` up to its closing backtick, or up to the `{` of its next `${`. */
function scanTemplateText(src: string, i: number): { end: number; opensExpression: boolean } {
  for (; i < src.length; i++) {
    if (src[i] === '\\') i++
    else if (src[i] === '`') return { end: i, opensExpression: false }
    else if (src[i] === '$' && src[i + 1] === '{') return { end: i + 1, opensExpression: true }
  }
  return { end: i, opensExpression: false }
}

/** Finds the closing brace of a block, skipping strings, template literals, comments and regex literals. */
export function matchBrace(src: string, open: number): number {
  let depth = 0
  const templates: number[] = []
  let prevSignificant = '{'
  for (let i = open; i < src.length; i++) {
    const c = src[i]!
    if (c === '"' || c === "'") {
      for (i++; i < src.length && src[i] !== c; i++) if (src[i] === '\\') i++
      prevSignificant = c
      continue
    }
    if (c === '`') {
      const text = scanTemplateText(src, i + 1)
      i = text.end
      if (text.opensExpression) templates.push(depth++)
      prevSignificant = '`'
      continue
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++
      continue
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2)
      i = end === -1 ? src.length : end + 1
      continue
    }
    if (c === '/' && '(,=:[!&|?{};+-*%<>~^'.includes(prevSignificant)) {
      let inClass = false
      for (i++; i < src.length; i++) {
        if (src[i] === '\\') i++
        else if (src[i] === '[') inClass = true
        else if (src[i] === ']') inClass = false
        else if (src[i] === '/' && !inClass) break
      }
      prevSignificant = 'a'
      continue
    }
    if (c === '{') depth++
    else if (c === '}') {
      depth--
      if (templates.length > 0 && templates[templates.length - 1] === depth) {
        // The end of a `${…}` inside a template literal: continue the literal.
        templates.pop()
        const text = scanTemplateText(src, i + 1)
        i = text.end
        if (text.opensExpression) templates.push(depth++)
        prevSignificant = '`'
        continue
      }
      if (depth === 0) return i
    }
    if (!/\s/.test(c)) prevSignificant = c
  }
  return -1
}

/** The webpack module table of a bundle: id → parameters and body. */
export function indexModules(bundle: string): Map<string, ModuleSource> {
  const modules = new Map<string, ModuleSource>()
  for (const m of bundle.matchAll(MODULE_START)) {
    const id = m[1]!
    if (modules.has(id)) continue
    const open = m.index! + m[0].length - 1
    const close = matchBrace(bundle, open)
    if (close === -1) continue
    const params = (m[2] ?? m[3] ?? m[4] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
    modules.set(id, { params, body: bundle.slice(open + 1, close) })
  }
  return modules
}

/** The factory module: the one that takes `wasmBinary`, preferring the one that names SecureKey. */
export function findFactory(modules: Map<string, ModuleSource>): string | null {
  const candidates = [...modules.entries()].filter(([, m]) => m.body.includes('wasmBinary'))
  candidates.sort((a, b) => Number(b[1].body.includes('SecureKey')) - Number(a[1].body.includes('SecureKey')) || b[1].body.length - a[1].body.length)
  return candidates[0]?.[0] ?? null
}

/**
 * The program the runner evaluates in a fresh context. It defines `__junction` with three
 * calls that take and return only strings: load(wasmBase64, token), status(), and
 * sign(kdf1Hex, kdf2Hex, dataBase64) → base64 digest. Everything it uses is made here.
 */
export function sandboxProgram(modules: Map<string, ModuleSource>, factoryId: string): string {
  const table = [...modules.entries()].map(([id, m]) => `${JSON.stringify(id)}:function(${m.params.join(',')}){${m.body}\n}`).join(',\n')
  return `${SANDBOX_PRELUDE}
var __sources = {${table}};
__junction.start(__sources, ${JSON.stringify(factoryId)}, ${JSON.stringify(EXTENSION_ORIGIN)});
`
}

/** The in-sandbox runtime: browser stand-ins, the webpack require, and the string-only interface. */
const SANDBOX_PRELUDE = String.raw`var __junction = (function () {
  'use strict';
  var g = globalThis;
  var noop = function () {};
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function fromB64(s) {
    var clean = String(s).replace(/=+$/, '');
    var out = new Uint8Array(Math.floor(clean.length * 3 / 4));
    var bits = 0, value = 0, n = 0;
    for (var i = 0; i < clean.length; i++) {
      var v = B64.indexOf(clean[i]);
      if (v < 0) throw new Error('bad base64');
      value = (value << 6) | v; bits += 6;
      if (bits >= 8) { bits -= 8; out[n++] = (value >> bits) & 255; }
    }
    return out.subarray(0, n);
  }
  function toB64(bytes) {
    var out = '';
    for (var i = 0; i < bytes.length; i += 3) {
      var a = bytes[i], b = bytes[i + 1], c = bytes[i + 2];
      out += B64[a >> 2] + B64[((a & 3) << 4) | ((b === undefined ? 0 : b) >> 4)];
      out += b === undefined ? '=' : B64[((b & 15) << 2) | ((c === undefined ? 0 : c) >> 6)];
      out += c === undefined ? '=' : B64[c & 63];
    }
    return out;
  }
  function fromHex(s) {
    var out = new Uint8Array(s.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
    return out;
  }
  function utf8Encode(s) {
    var out = [];
    s = String(s);
    for (var i = 0; i < s.length; i++) {
      var c = s.codePointAt(i);
      if (c > 0xffff) i++;
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return new Uint8Array(out);
  }
  function utf8Decode(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; ) {
      var b = bytes[i++], c;
      if (b < 0x80) c = b;
      else if (b < 0xe0) c = ((b & 31) << 6) | (bytes[i++] & 63);
      else if (b < 0xf0) c = ((b & 15) << 12) | ((bytes[i++] & 63) << 6) | (bytes[i++] & 63);
      else c = ((b & 7) << 18) | ((bytes[i++] & 63) << 12) | ((bytes[i++] & 63) << 6) | (bytes[i++] & 63);
      s += String.fromCodePoint(c);
    }
    return s;
  }
  function TextEncoder() {}
  TextEncoder.prototype.encode = utf8Encode;
  function TextDecoder() {}
  TextDecoder.prototype.decode = function (b) { return b ? utf8Decode(b instanceof Uint8Array ? b : new Uint8Array(b.buffer || b)) : ''; };
  // Randomness comes in as hex from the runner (addEntropy) and is handed out once.
  var pool = [];
  var state = { status: 'idle', error: '', mod: null, key: null, factory: null, origin: '' };
  function install(origin) {
    g.window = g; g.self = g;
    g.console = { log: noop, warn: noop, error: noop, info: noop, debug: noop };
    g.location = { origin: origin, href: origin + '/static/sandbox.html', protocol: 'chrome-extension:' };
    g.origin = origin;
    g.document = { currentScript: { src: origin + '/static/js/ltsmSandbox.js' } };
    g.navigator = { userAgent: 'Mozilla/5.0' };
    g.TextEncoder = TextEncoder; g.TextDecoder = TextDecoder;
    g.crypto = { getRandomValues: function (a) {
      if (pool.length < a.length) throw new Error('out of entropy');
      for (var i = 0; i < a.length; i++) a[i] = pool.shift();
      return a;
    } };
    g.performance = { now: function () { return Date.now(); } };
    g.setTimeout = function (fn) { Promise.resolve().then(function () { fn(); }); return 0; };
    g.clearTimeout = noop;
  }
  return {
    start: function (sources, factoryId, origin) {
      install(origin);
      var cache = {};
      function req(id) {
        var key = String(id);
        if (Object.prototype.hasOwnProperty.call(cache, key)) return cache[key].exports;
        var module = { exports: {} };
        cache[key] = module;
        if (Object.prototype.hasOwnProperty.call(sources, key)) sources[key].call(module.exports, module, module.exports, req);
        return module.exports;
      }
      req.d = function (exports, getters) {
        for (var k in getters) if (Object.prototype.hasOwnProperty.call(getters, k) && !Object.prototype.hasOwnProperty.call(exports, k)) Object.defineProperty(exports, k, { enumerable: true, get: getters[k] });
      };
      req.o = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };
      req.r = function (exports) { Object.defineProperty(exports, '__esModule', { value: true }); };
      req.n = function (m) { return m && m.__esModule ? function () { return m.default; } : function () { return m; }; };
      req.g = g;
      var exported = req(factoryId);
      state.factory = typeof exported === 'function' ? exported : exported && exported.default;
      state.origin = origin;
    },
    addEntropy: function (hex) { var b = fromHex(String(hex)); for (var i = 0; i < b.length; i++) pool.push(b[i]); return pool.length; },
    status: function () { return state.status; },
    error: function () { return state.error; },
    load: function (wasmB64, token) {
      if (typeof state.factory !== 'function') { state.status = 'failed'; state.error = 'shape'; return; }
      state.status = 'loading';
      var wasm = fromB64(wasmB64);
      Promise.resolve(state.factory({ wasmBinary: wasm, locateFile: function (p) { return p; }, print: noop, printErr: noop })).then(function (mod) {
        if (!mod || !mod.SecureKey || typeof mod.SecureKey.loadToken !== 'function' || typeof mod.Hmac !== 'function') { state.status = 'failed'; state.error = 'lacks'; return; }
        state.mod = mod;
        state.key = mod.SecureKey.loadToken(String(token));
        state.status = 'ready';
      }, function (e) { state.status = 'failed'; state.error = 'start: ' + String(e && e.message || e).slice(0, 200); });
    },
    sign: function (kdf1Hex, kdf2Hex, dataB64) {
      var derived = state.key.deriveKey(fromHex(kdf1Hex), fromHex(kdf2Hex));
      var hmac = new state.mod.Hmac(derived);
      try {
        var digest = hmac.digest(fromB64(dataB64));
        if (typeof digest === 'string') return digest;
        return toB64(digest instanceof Uint8Array ? digest : new Uint8Array(digest));
      } finally {
        if (hmac.delete) hmac.delete();
        if (derived.delete) derived.delete();
      }
    }
  };
})();`
