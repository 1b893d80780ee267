// Approval card for a write preview: exactly what will change, then Approve (calls the app-only
// tool approve_write with the preview's approval_id, once) or Cancel (sends nothing).

const TITLES = {
  send_guest_message: "Send this message?",
  update_calendar: "Change this calendar?",
  create_booking: "Create this booking?",
  update_booking: "Change this booking?",
  cancel_booking: "Cancel this booking?",
  create_task: "Create this task?",
  create_expense: "Record this expense?",
};
const FIRST = ["recipient", "untrusted.guest_name", "via"];
const LAST = ["message"];
// Labels of what a guest wrote (a preview's top-level `untrusted`), always shown as typed, as text.
const AS_TYPED = { guest_name: "Guest (as typed)" };

let decided = false; // one decision per card, whatever the host sends afterwards

function humanize(key) {
  const text = String(key).replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function asTyped(key) {
  return AS_TYPED[key] || humanize(key) + " (as typed)";
}

/** [key, label, text] in display order: details (a fenced details.untrusted merged in as plain
 * text), then what the guest wrote (the preview's own `untrusted`, keys "untrusted.<name>"). */
function detailEntries(details, untrusted) {
  const merged = {};
  for (const [key, value] of Object.entries(details || {})) {
    if (key === "untrusted" && isObject(value)) Object.assign(merged, value);
    else merged[key] = value;
  }
  const entries = Object.keys(merged).map((key) => [key, humanize(key), merged[key]]);
  if (isObject(untrusted)) {
    for (const [key, value] of Object.entries(untrusted)) entries.push(["untrusted." + key, asTyped(key), value]);
  }
  const rank = (key) => (FIRST.includes(key) ? FIRST.indexOf(key) - 10 : LAST.includes(key) ? 10 : 0);
  return entries
    .filter(([, , value]) => value !== null && value !== undefined)
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([key, label, value]) => [key, label, String(value)]);
}

/** The "before" cell: our text, or what a guest wrote (change.untrusted), marked as theirs. */
function beforeCell(change) {
  const fenced = isObject(change.untrusted)
    ? change.untrusted[change.field] ?? Object.values(change.untrusted)[0]
    : undefined;
  if (fenced !== undefined && fenced !== null) {
    return h("td", { class: "before as-typed" }, h("span", { class: "value" }, String(fenced)),
      h("span", { class: "typed-by muted small" }, "as typed by the guest"));
  }
  const none = change.before === null || change.before === undefined;
  return h("td", { class: none ? "before none" : "before" }, none ? "not set" : String(change.before));
}

function afterCell(change) {
  const none = change.after === null || change.after === undefined;
  return h("td", { class: none ? "after none" : "after" }, none ? "cleared" : String(change.after));
}

function changesTable(changes) {
  if (!Array.isArray(changes) || !changes.length) return null;
  return h("table", { class: "changes" },
    h("caption", { class: "visually-hidden" }, "What will change"),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Field"), h("th", { scope: "col" }, "Before"),
      h("th", { scope: "col", class: "arrow", "aria-hidden": "true" }, ""), h("th", { scope: "col" }, "After"))),
    h("tbody", {}, changes.map((change) => h("tr", {},
      h("th", { scope: "row" }, String(change.label || humanize(change.field || ""))),
      beforeCell(change),
      h("td", { class: "arrow", "aria-hidden": "true" }, "→"),
      afterCell(change)))));
}

function detailsList(details, untrusted) {
  const entries = detailEntries(details, untrusted);
  if (!entries.length) return null;
  return h("dl", { class: "details" }, entries.map(([key, label, value]) => key === "message"
    ? h("div", { class: "detail message" }, h("dt", {}, "Message"), h("dd", {}, h("div", { class: "message-text" }, value)))
    : h("div", { class: "detail", "data-key": key }, h("dt", {}, label), h("dd", {}, value))));
}

function requestBlock(request) {
  if (!request || !request.method) return null;
  return h("details", { class: "request" },
    h("summary", {}, "Exact request: " + String(request.method) + " " + String(request.path || "")),
    h("pre", {}, JSON.stringify(request.body || {}, null, 2)));
}

function outcome(kind, text) {
  const box = document.getElementById("outcome");
  box.className = "outcome " + kind;
  box.replaceChildren(text);
}

async function approve(data, buttons) {
  if (decided) return;
  decided = true;
  for (const button of buttons) button.disabled = true;
  outcome("pending", "Approving…");
  let result;
  try {
    result = await Bridge.callTool("approve_write", { approval_id: String(data.approval_id) });
  } catch (error) {
    return outcome("error", "Not done: " + error.message);
  }
  const done = resultData(result);
  if (result.isError || !done) return outcome("error", "Not done: " + (resultText(result) || "no answer"));
  outcome(done.sent === false ? "error" : "done", (done.sent === false ? "Not done: " : "Done: ") + String(done.summary || "approved."));
}

function cancel(data, buttons) {
  if (decided) return;
  decided = true;
  for (const button of buttons) button.disabled = true;
  outcome("cancelled", "Cancelled. Nothing was sent.");
  if ((Bridge.context.hostCapabilities || {}).updateModelContext) {
    Bridge.updateModelContext("The user cancelled " + String(data.tool) + " (approval " + String(data.approval_id) +
      ") in the approval card; nothing was sent.").catch(() => {});
  }
}

function render(result) {
  const data = resultData(result);
  if (result.isError) return showState(resultText(result) || "The preview could not be made.", "error");
  if (!data || !data.tool) return showState("The tool answered without a write preview.", "error");
  const already = data.sent === true || data.confirmed === true;
  const approveButton = h("button", { type: "button", class: "approve" }, "Approve");
  const cancelButton = h("button", { type: "button", class: "cancel" }, "Cancel");
  const buttons = [approveButton, cancelButton];
  approveButton.addEventListener("click", () => approve(data, buttons));
  cancelButton.addEventListener("click", () => cancel(data, buttons));
  if (!data.approval_id) approveButton.disabled = true;

  const warnings = Array.isArray(data.warnings) ? data.warnings.filter(Boolean) : [];
  document.getElementById("app").replaceChildren(h("article", { class: "card", "aria-labelledby": "title" },
    h("h1", { id: "title" }, already ? "Done" : TITLES[data.tool] || "Approve this change?"),
    h("p", { class: "summary" }, String(data.summary || "")),
    changesTable(data.changes),
    detailsList(data.details, data.untrusted),
    requestBlock(data.request),
    warnings.length ? h("ul", { class: "warnings", "aria-label": "Warnings" }, warnings.map((w) => h("li", {}, String(w)))) : null,
    already ? null : h("div", { class: "actions" },
      approveButton, cancelButton,
      data.expires_at ? h("span", { class: "muted small" }, "Approve before " + Format.instant(String(data.expires_at))) : null),
    !already && !data.approval_id
      ? h("p", { class: "muted small" }, "This preview carries no approval id: confirm it in the chat instead.")
      : null,
    h("p", { id: "outcome", class: "outcome", role: "status", "aria-live": "polite" })));
}

Bridge.on("ui/notifications/tool-result", (result) => {
  if (!decided) render(result);
});
Bridge.on("ui/notifications/tool-cancelled", () => {
  if (!decided) showState("The preview was cancelled.");
});
Bridge.connect("hostaway-approve", { availableDisplayModes: ["inline"] }).catch((error) =>
  showState("Could not reach the host: " + error.message, "error"));
