// The MCP Apps bridge (io.modelcontextprotocol/ui, protocol 2026-01-26): JSON-RPC 2.0 with the host
// over window.parent.postMessage, plus the few DOM and formatting helpers every view shares.
"use strict";

const Bridge = (() => {
  const PROTOCOL_VERSION = "2026-01-26";
  const pending = new Map();
  const handlers = {};
  const context = {};
  let nextId = 1;
  let lastSize = "";

  const post = (message) => window.parent.postMessage(message, "*");

  function request(method, params, timeoutMs = 60000) {
    const id = nextId++;
    post({ jsonrpc: "2.0", id, method, params });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error("The host did not answer " + method + "."));
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
    });
  }

  function notify(method, params) {
    post({ jsonrpc: "2.0", method, params: params || {} });
  }

  function applyContext(update) {
    Object.assign(context, update || {});
    const root = document.documentElement;
    if (update && (update.theme === "light" || update.theme === "dark")) {
      root.dataset.theme = update.theme;
      root.style.colorScheme = update.theme; // host variables use light-dark(), which follows this
    }
    const styles = (update && update.styles) || {};
    for (const [name, value] of Object.entries(styles.variables || {})) {
      if (name.startsWith("--") && typeof value === "string") root.style.setProperty(name, value);
    }
    if (styles.css && typeof styles.css.fonts === "string") {
      let sheet = document.getElementById("host-fonts");
      if (!sheet) {
        sheet = document.createElement("style");
        sheet.id = "host-fonts";
        document.head.appendChild(sheet);
      }
      sheet.textContent = styles.css.fonts;
    }
    const box = update && update.containerDimensions;
    if (box) {
      // A fixed height means: fill it. Otherwise the view sizes itself (up to maxHeight).
      root.classList.toggle("fixed-height", typeof box.height === "number");
      const limit = typeof box.height === "number" ? box.height : box.maxHeight;
      if (typeof limit === "number") root.style.setProperty("--host-max-height", limit + "px");
    }
    if (handlers.context) handlers.context(context);
  }

  function answerHost(message) {
    if (message.method === "ui/resource-teardown" || message.method === "ping") {
      post({ jsonrpc: "2.0", id: message.id, result: {} });
    } else {
      post({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: "Method not found" } });
    }
  }

  window.addEventListener("message", (event) => {
    if (event.source !== window.parent) return; // only the host may talk to a view
    const message = event.data;
    if (!message || message.jsonrpc !== "2.0") return;
    if (typeof message.method === "string") {
      if (message.id !== undefined && message.id !== null) return answerHost(message);
      if (message.method === "ui/notifications/host-context-changed") applyContext(message.params);
      const handler = handlers[message.method];
      if (handler) handler(message.params || {});
      return;
    }
    const call = pending.get(message.id);
    if (!call) return;
    pending.delete(message.id);
    clearTimeout(call.timer);
    if (message.error) call.reject(new Error(message.error.message || "The host refused."));
    else call.resolve(message.result);
  });

  function reportSize() {
    const rect = document.documentElement.getBoundingClientRect();
    const size = Math.ceil(rect.width) + "x" + Math.ceil(rect.height);
    if (size === lastSize) return;
    lastSize = size;
    notify("ui/notifications/size-changed", { width: Math.ceil(rect.width), height: Math.ceil(rect.height) });
  }

  async function connect(name, appCapabilities) {
    if (window.parent === window) return; // opened on its own: nobody to talk to
    const result = await request("ui/initialize", {
      appInfo: { name, version: "1.0.0" },
      appCapabilities: appCapabilities || {},
      protocolVersion: PROTOCOL_VERSION,
    });
    context.hostCapabilities = (result && result.hostCapabilities) || {};
    applyContext((result && result.hostContext) || {});
    notify("ui/notifications/initialized", {});
    let queued = false;
    new ResizeObserver(() => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        reportSize();
      });
    }).observe(document.documentElement);
  }

  return {
    connect,
    context,
    on: (method, handler) => {
      handlers[method] = handler;
    },
    callTool: (name, args) => request("tools/call", { name, arguments: args || {} }),
    updateModelContext: (text) =>
      request("ui/update-model-context", { content: [{ type: "text", text }] }),
  };
})();

// ---- reading results ----------------------------------------------------------------------------

/** The structured data of a CallToolResult, or its first text block parsed as JSON, or null. */
function resultData(result) {
  if (!result) return null;
  if (result.structuredContent && typeof result.structuredContent === "object") {
    return result.structuredContent;
  }
  for (const block of result.content || []) {
    if (block && block.type === "text") {
      try {
        const parsed = JSON.parse(block.text);
        if (parsed && typeof parsed === "object") return parsed;
      } catch (error) {
        return null;
      }
    }
  }
  return null;
}

/** All text blocks of a CallToolResult, joined. */
function resultText(result) {
  return ((result && result.content) || [])
    .filter((block) => block && block.type === "text")
    .map((block) => String(block.text))
    .join("\n");
}

/** A field that the server may send plainly or fenced as untrusted: {"untrusted": {name: ...}}. */
function field(record, name) {
  if (!record) return null;
  if (record[name] !== undefined && record[name] !== null) return record[name];
  const fenced = record.untrusted;
  return fenced && fenced[name] !== undefined ? fenced[name] : null;
}

// ---- building DOM (text only, never HTML) -------------------------------------------------------

/** h("div", {class: "x", title: t}, child, "text", ...): strings become text nodes. */
function h(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "style" && typeof value === "object") Object.assign(node.style, value);
    else if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replace the contents of #app with a short state line (waiting, cancelled, error). */
function showState(text, kind) {
  const app = document.getElementById("app");
  app.replaceChildren(h("p", { class: "state " + (kind || ""), role: "status" }, text));
}

// ---- formatting (never recomputing) --------------------------------------------------------------

const Format = (() => {
  const locale = () => Bridge.context.locale || undefined;
  const cache = new Map();
  function numberFormat(key, options) {
    const id = key + "|" + (locale() || "");
    if (!cache.has(id)) cache.set(id, new Intl.NumberFormat(locale(), options));
    return cache.get(id);
  }
  return {
    money(value, currency) {
      if (value === null || value === undefined) return "—";
      const amount = numberFormat("money", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      return amount.format(value) + (currency ? " " + currency : "");
    },
    count(value) {
      if (value === null || value === undefined) return "—";
      return numberFormat("count", { maximumFractionDigits: 0 }).format(value);
    },
    percent(rate) {
      if (rate === null || rate === undefined) return "—";
      return numberFormat("percent", { style: "percent", maximumFractionDigits: 2 }).format(rate);
    },
    /** "2026-12-03" -> "Thu 3 Dec 2026" (dates are calendar days, so formatted in UTC). */
    day(iso, options) {
      const time = Date.parse(iso + "T00:00:00Z");
      if (Number.isNaN(time)) return String(iso);
      // Building an Intl formatter is slow; a big calendar asks for the same few thousands of times.
      const id = "day|" + Object.entries(options || {}).map((pair) => pair.join("=")).join(",") + "|" + (locale() || "");
      if (!cache.has(id)) {
        cache.set(id, new Intl.DateTimeFormat(locale(), Object.assign(
          { timeZone: "UTC", weekday: "short", day: "numeric", month: "short", year: "numeric" },
          options || {})));
      }
      return cache.get(id).format(new Date(time));
    },
    /** An instant (ISO 8601 with zone) in the host's time zone. */
    instant(iso) {
      const time = Date.parse(iso);
      if (Number.isNaN(time)) return String(iso);
      const options = { dateStyle: "medium", timeStyle: "short" };
      if (Bridge.context.timeZone) options.timeZone = Bridge.context.timeZone;
      try {
        return new Intl.DateTimeFormat(locale(), options).format(new Date(time));
      } catch (error) {
        return new Date(time).toISOString();
      }
    },
  };
})();
