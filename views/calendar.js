// Multi-calendar: properties down, nights across, one bar per stay. Built off-document in one
// DocumentFragment; each property is a one-row CSS grid with the same columns. No per-day cells
// (day lines, weekends and today are one shared background), one element per bar, and rows off
// screen skip layout and paint (content-visibility), so 500 properties x 62 nights stay fast.

const DAY_MS = 86400000;
// Colour and a glyph per channel (calendar.css), so the channel is not told by colour alone.
const CHANNELS = { airbnb: "airbnb", "booking.com": "booking", vrbo: "vrbo", expedia: "expedia", direct: "direct" };
const CONFIRMED = new Set(["new", "modified"]);

let toolInput = null;
let rows = []; // per listing row: its stay buttons in date order, for arrow-key moves
let current = null; // the stay button that Tab lands on (roving tabindex)
let detailsToken = 0;

const dayNumber = (iso) => {
  const time = Date.parse(String(iso) + "T00:00:00Z");
  return Number.isNaN(time) ? NaN : Math.round(time / DAY_MS);
};
const isoOf = (day) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const channelOf = (name) => CHANNELS[String(name || "").toLowerCase()] || "other";
const nights = (n) => n + (n === 1 ? " night" : " nights");
const shortDay = (day) => Format.day(isoOf(day), { weekday: undefined, year: undefined });

/** The columns [from, to) a date range [arrival, departure) covers inside the window, or null. */
function span(arrival, departure, start, end) {
  const a = dayNumber(arrival);
  let d = dayNumber(departure);
  if (Number.isNaN(a)) return null;
  if (Number.isNaN(d) || d <= a) d = a + 1; // a day-use or dateless end still takes its night
  const from = Math.max(a, start);
  const to = Math.min(d, end);
  if (from >= to) return null;
  return { from, to, before: a < start, after: d > end, nights: d - a, a, d };
}

function place(node, cols, start) {
  node.style.gridColumn = cols.from - start + 2 + " / " + (cols.to - start + 2);
  return node;
}

function rangeText(cols) {
  return shortDay(cols.a) + " → " + shortDay(cols.d) + " (" + nights(cols.nights) + ")";
}

function continuation(cols) {
  const parts = [];
  if (cols.before) parts.push("began before this window");
  if (cols.after) parts.push("continues after it");
  return parts.length ? "; " + parts.join(", ") : "";
}

function stayButton(stay, listing, cols, start) {
  const guest = field(stay, "guest_name");
  const name = guest === null || guest === "" ? "Guest" : String(guest);
  const channelName = stay.channel ? String(stay.channel) : "unknown channel";
  const channel = channelOf(stay.channel);
  const status = stay.status ? String(stay.status) : "";
  const tentative = !CONFIRMED.has(status);
  const label =
    name + ", " + channelName + ", " + rangeText(cols) + (status ? ", " + status : "") +
    continuation(cols) + ". " + listing.name;
  const button = h(
    "button",
    {
      type: "button",
      class: "stay ch-" + channel + (tentative ? " tentative" : "") +
        (cols.before ? " clip-start" : "") + (cols.after ? " clip-end" : ""),
      "aria-label": label,
      title: label,
      tabindex: "-1",
      "data-reservation-id": stay.reservation_id,
    },
    name, // the channel glyph and the ◂ ▸ continuation marks are CSS ::before / ::after
    tentative && status ? h("span", { class: "status" }, " · " + status) : null,
  );
  button.dataset.col = String(cols.from - start);
  return place(button, cols, start);
}

function ownerBlock(owner, listing, cols, start) {
  const label = "Owner stay, " + rangeText(cols) + continuation(cols) + ". " + listing.name;
  return place(
    h("div", { class: "own" + (cols.before ? " clip-start" : "") + (cols.after ? " clip-end" : ""),
      role: "img", "aria-label": label, title: label }, "Owner"),
    cols, start);
}

/** Blocked runs [start_date, end_date) clipped to the window, in date order. */
function blockedRuns(runs, start, end) {
  const clipped = [];
  for (const run of runs || []) {
    const cols = span(run.start_date, run.end_date, start, end);
    if (cols) clipped.push(cols);
  }
  return clipped.sort((x, y) => x.from - y.from);
}

function renderRow(listing, start, end, fragment) {
  const name = String(listing.name || "Listing " + listing.id);
  const group = h("div", { class: "row", role: "group", "aria-label": name });
  const nameCell = h("div", { class: "name", title: name },
    h("span", { class: "listing" }, name),
    listing.city ? h("span", { class: "city" }, String(listing.city)) : null);
  group.appendChild(nameCell);
  for (const run of blockedRuns(listing.blocked, start, end)) {
    const label = "Blocked, " + shortDay(run.from) + " → " + shortDay(run.to) + " (" +
      nights(run.to - run.from) + "). " + name;
    group.appendChild(place(
      h("div", { class: "blk", role: "img", "aria-label": label, title: label },
        run.to - run.from > 1 ? "Blocked" : "×"),
      run, start));
  }
  for (const gap of listing.gaps || []) {
    const cols = span(gap.start_date, gap.end_date, start, end);
    if (!cols) continue;
    const count = gap.nights || cols.nights;
    const label = "Orphan gap, " + nights(count) + ", " + rangeText(cols) + ". " + name;
    group.appendChild(place(
      h("div", { class: "gap", role: "img", "aria-label": label, title: label },
        cols.to - cols.from > 1 ? count + "n gap" : count + "n"),
      cols, start));
  }
  for (const owner of listing.owner_stays || []) {
    const cols = span(owner.arrival_date, owner.departure_date, start, end);
    if (cols) group.appendChild(ownerBlock(owner, { name }, cols, start));
  }
  const buttons = [];
  for (const stay of listing.stays || []) {
    const cols = span(stay.arrival_date, stay.departure_date, start, end);
    if (cols) buttons.push(stayButton(stay, { name }, cols, start));
  }
  buttons.sort((x, y) => Number(x.dataset.col) - Number(y.dataset.col));
  for (const button of buttons) group.appendChild(button);
  rows.push(buttons);
  fragment.appendChild(group);
}

function headerRow(start, days, today) {
  const head = h("div", { class: "head" }, h("div", { class: "corner" }, "Property"));
  for (let i = 0; i < days; i++) {
    const day = start + i;
    const date = new Date(day * DAY_MS);
    const weekday = Format.day(isoOf(day), { weekday: "short", day: undefined, month: undefined, year: undefined });
    const showMonth = i === 0 || date.getUTCDate() === 1;
    const classes = ["hd"];
    if (date.getUTCDay() === 0 || date.getUTCDay() === 6) classes.push("weekend");
    if (day === today) classes.push("is-today");
    const cell = h("div", {
      class: classes.join(" "),
      title: Format.day(isoOf(day), { weekday: "long", month: "long" }),
      "data-date": isoOf(day),
    },
    h("span", { class: "wd" }, weekday),
    h("span", { class: "dn" }, String(date.getUTCDate()) +
      (showMonth ? " " + Format.day(isoOf(day), { weekday: undefined, day: undefined, year: undefined }) : "")));
    head.appendChild(cell);
  }
  return head;
}

/** Day lines, weekend shading and today's tint as one background image shared by every row. */
function laneBackground(start, days, today, dayWidth) {
  const stops = [];
  for (let i = 0; i < days; i++) {
    const left = i * dayWidth;
    const right = left + dayWidth;
    const weekday = new Date((start + i) * DAY_MS).getUTCDay();
    const fill = start + i === today ? "var(--today-tint)"
      : weekday === 0 || weekday === 6 ? "var(--color-background-secondary)" : "transparent";
    stops.push("var(--color-border-secondary) " + left + "px " + (left + 1) + "px",
      fill + " " + (left + 1) + "px " + right + "px");
  }
  return "linear-gradient(to right, " + stops.join(", ") + ")";
}

function legend(channels, extras) {
  const items = [...channels].sort().map((name) => {
    const channel = channelOf(name);
    return h("li", {}, h("span", { class: "swatch ch-" + channel, "aria-hidden": "true" }), name);
  });
  const marks = [
    ["blk", "Blocked"],
    ["own", "Owner stay"],
    ["gap", "Orphan gap"],
  ];
  if (extras.tentative) marks.unshift(["tentative ch-other", "Not confirmed"]);
  for (const [kind, label] of marks) {
    items.push(h("li", {}, h("span", { class: "swatch " + kind, "aria-hidden": "true" }), label));
  }
  if (extras.today) items.push(h("li", {}, h("span", { class: "swatch today-mark", "aria-hidden": "true" }), "Today"));
  return h("ul", { class: "legend", "aria-label": "Legend" }, items);
}

function render(data) {
  const start = dayNumber(data.start_date);
  if (Number.isNaN(start)) return showState("This result has no start_date; nothing to draw.", "error");
  const days = Math.min(62, Math.max(1, Math.round(Number(data.days)) || 14));
  const end = start + days;
  const today = dayNumber(data.today);
  const listings = Array.isArray(data.listings) ? data.listings : [];
  rows = [];
  current = null;

  const channels = new Set();
  let tentative = false;
  for (const listing of listings) {
    for (const stay of listing.stays || []) {
      channels.add(stay.channel ? String(stay.channel) : "unknown");
      if (!CONFIRMED.has(String(stay.status || ""))) tentative = true;
    }
  }

  const dayWidth = days <= 14 ? 52 : days <= 31 ? 36 : 28;
  const grid = h("div", { class: "cal", "data-days": days });
  grid.style.setProperty("--day-w", dayWidth + "px");
  grid.style.setProperty("--cols", "var(--name-w) repeat(" + days + ", var(--day-w))");
  grid.style.setProperty("--lane-bg", laneBackground(start, days, today, dayWidth));
  grid.style.width = "calc(var(--name-w) + " + days * dayWidth + "px)";
  const fragment = document.createDocumentFragment();
  fragment.appendChild(headerRow(start, days, today));
  if (today >= start && today < end) {
    const line = h("div", { class: "today-line", title: "Today", "aria-hidden": "true" });
    line.style.left = "calc(var(--name-w) + " + (today - start) * dayWidth + "px - 1px)";
    fragment.appendChild(line);
  }
  for (const listing of listings) renderRow(listing, start, end, fragment);
  grid.appendChild(fragment);

  const first = rows.find((buttons) => buttons.length);
  if (first) setCurrent(first[0]);

  const total = Number(data.listings_total) || listings.length;
  const app = document.getElementById("app");
  app.replaceChildren(
    h("header", { class: "top" },
      h("h1", {}, "Calendar · " + shortDay(start) + " – " + Format.day(isoOf(end - 1), { weekday: undefined })),
      h("p", { class: "muted small" },
        listings.length + (listings.length === 1 ? " property" : " properties") + " · " + nights(days) +
        (data.truncated ? " · showing " + listings.length + " of " + total + " properties" : "") +
        (first ? " · arrow keys move between stays, Enter shows the booking" : "")),
      legend(channels, { tentative, today: today >= start && today < end })),
    h("section", { id: "details", class: "details", "aria-live": "polite", hidden: true }),
    listings.length
      ? h("div", { class: "cal-scroll", role: "region", "aria-label": "Calendar", tabindex: "0" }, grid)
      : h("p", { class: "state" }, "No properties in this calendar."),
  );
}

function setCurrent(button) {
  if (current) current.tabIndex = -1;
  current = button;
  button.tabIndex = 0;
}

function move(button, key) {
  const row = rows.findIndex((buttons) => buttons.includes(button));
  if (row < 0) return null;
  const buttons = rows[row];
  const index = buttons.indexOf(button);
  if (key === "ArrowRight") return buttons[index + 1] || null;
  if (key === "ArrowLeft") return buttons[index - 1] || null;
  if (key === "Home") return buttons[0];
  if (key === "End") return buttons[buttons.length - 1];
  const step = key === "ArrowDown" ? 1 : key === "ArrowUp" ? -1 : 0;
  if (!step) return null;
  const col = Number(button.dataset.col);
  for (let r = row + step; r >= 0 && r < rows.length; r += step) {
    if (!rows[r].length) continue;
    return rows[r].reduce((best, b) =>
      Math.abs(Number(b.dataset.col) - col) < Math.abs(Number(best.dataset.col) - col) ? b : best);
  }
  return null;
}

function detailRow(label, value) {
  if (value === null || value === undefined || value === "") return null;
  return h("div", { class: "item" }, h("dt", {}, label), h("dd", {}, String(value)));
}

async function showDetails(button) {
  const id = Number(button.dataset.reservationId);
  const token = ++detailsToken;
  const panel = document.getElementById("details");
  const close = h("button", { type: "button", class: "close", onclick: () => {
    panel.hidden = true;
    button.focus();
  } }, "Close");
  panel.hidden = false;
  panel.replaceChildren(h("p", { class: "state", role: "status" }, "Loading booking " + id + "…"));
  let result;
  try {
    result = await Bridge.callTool("get_booking_details", { reservation_id: id });
  } catch (error) {
    result = { isError: true, content: [{ type: "text", text: error.message }] };
  }
  if (token !== detailsToken) return; // a later click won
  const booking = resultData(result);
  if (result.isError || !booking) {
    panel.replaceChildren(
      h("p", { class: "state error" }, "Could not load booking " + id + ": " + (resultText(result) || "no data")),
      close);
    return;
  }
  const guest = field(booking, "guest_name");
  panel.replaceChildren(
    h("div", { class: "details-head" },
      h("h2", {}, (guest ? String(guest) : "Guest") + " · booking " + id), close),
    h("dl", {},
      detailRow("Property", field(booking, "listing_name")),
      detailRow("Arrival", booking.arrival_date ? Format.day(booking.arrival_date) : null),
      detailRow("Departure", booking.departure_date ? Format.day(booking.departure_date) : null),
      detailRow("Nights", booking.nights),
      detailRow("Guests", booking.guests),
      detailRow("Status", booking.status),
      detailRow("Channel", booking.channel),
      detailRow("Total", booking.total_price === null || booking.total_price === undefined
        ? null : Format.money(booking.total_price, booking.currency)),
      detailRow("Paid", booking.is_paid === true ? "yes" : booking.is_paid === false ? "no" : null),
      detailRow("Confirmation", booking.confirmation_code)),
  );
}

document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("button.stay");
  if (!button) return;
  setCurrent(button);
  showDetails(button);
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    const panel = document.getElementById("details");
    if (panel && !panel.hidden) {
      panel.hidden = true;
      if (current) current.focus();
    }
    return;
  }
  const button = event.target.closest && event.target.closest("button.stay");
  if (!button) return;
  const next = move(button, event.key);
  if (next) {
    event.preventDefault();
    setCurrent(next);
    next.focus();
  }
});

Bridge.on("ui/notifications/tool-input", (params) => {
  toolInput = params.arguments || {};
  if (!document.querySelector(".cal, .top")) {
    const from = toolInput.start_date ? " from " + Format.day(String(toolInput.start_date)) : "";
    showState("Waiting for the calendar" + from + "…");
  }
});

Bridge.on("ui/notifications/tool-result", (result) => {
  const started = performance.now();
  const data = resultData(result);
  if (result.isError) showState(resultText(result) || "The calendar could not be loaded.", "error");
  else if (!data) showState("The tool answered without calendar data.", "error");
  else render(data);
  void document.body.offsetHeight; // lay out now, inside the measured span
  requestAnimationFrame(() => setTimeout(() => {
    document.body.dataset.renderMs = String(Math.round(performance.now() - started));
  }, 0));
});

Bridge.on("ui/notifications/tool-cancelled", () => showState("The calendar request was cancelled."));

Bridge.connect("hostaway-calendar", { availableDisplayModes: ["inline", "fullscreen"] }).catch((error) =>
  showState("Could not reach the host: " + error.message, "error"));
