// Revenue and occupancy reports as bars. Every number is the tool's own, formatted: nothing is
// summed, converted or recomputed here, and each currency stays in its own section.

const GROUP_NAMES = { listing: "listing", channel: "channel", month: "month" };

function stat(label, value) {
  return h("div", { class: "stat" }, h("dt", {}, label), h("dd", {}, value));
}

function notes(items) {
  const lines = items.filter(Boolean);
  return lines.length ? h("ul", { class: "notes" }, lines.map((line) => h("li", {}, String(line)))) : null;
}

function period(data) {
  return Format.day(data.start_date) + " to " + Format.day(data.end_date) + " (end not included)";
}

/** Bar length as a share of the largest value in the same currency (a drawing aid, not a number). */
function share(value, max) {
  if (!(max > 0) || !(value > 0)) return "0%";
  return Math.max(0.5, (value / max) * 100).toFixed(2) + "%";
}

function revenueSection(total, groups, groupBy) {
  const currency = String(total.currency);
  const mine = groups.filter((group) => group.currency === total.currency);
  const max = Math.max(0, ...mine.map((group) => Number(group.revenue) || 0));
  const headingId = "revenue-" + currency.replace(/[^A-Za-z0-9]/g, "");
  return h("section", { class: "currency", "aria-labelledby": headingId, "data-currency": currency },
    h("h2", { id: headingId }, currency),
    h("dl", { class: "stats" },
      stat("Revenue", Format.money(total.revenue, currency)),
      stat("Booked nights", Format.count(total.booked_nights)),
      stat("Bookings", Format.count(total.bookings)),
      stat("ADR", Format.money(total.adr, currency)),
      stat("Cancelled", Format.count(total.cancelled_bookings)),
      total.unpriced_bookings ? stat("Unpriced", Format.count(total.unpriced_bookings)) : null),
    mine.length
      ? h("ul", { class: "bars", "aria-label": "Revenue in " + currency + " by " + groupBy },
        mine.map((group) => h("li", { class: "bar-row" },
          h("span", { class: "bar-label", title: String(group.label) }, String(group.label)),
          h("span", { class: "bar-track", "aria-hidden": "true" },
            h("span", { class: "bar", style: { width: share(Number(group.revenue), max) } })),
          h("span", { class: "bar-value" }, Format.money(group.revenue, currency)),
          h("span", { class: "bar-extra muted" },
            Format.count(group.booked_nights) + " nights · " + Format.count(group.bookings) +
            " bookings · ADR " + Format.money(group.adr, currency)))))
      : null);
}

function renderRevenue(data) {
  const groupBy = GROUP_NAMES[data.group_by] || String(data.group_by || "group");
  const totals = Array.isArray(data.currency_totals) ? data.currency_totals : [];
  const groups = Array.isArray(data.groups) ? data.groups : [];
  return [
    h("header", { class: "top" },
      h("h1", {}, "Revenue by " + groupBy),
      h("p", { class: "muted small" }, period(data) + " · counted by " + String(data.date_basis || "stay") +
        " date" + (totals.length > 1 ? " · " + totals.length + " currencies, each on its own" : ""))),
    notes([...(data.notes || []), data.truncated ? "Some groups were left out to keep the answer short." : null]),
    totals.length
      ? totals.map((total) => revenueSection(total, groups, groupBy))
      : h("p", { class: "state" }, "No revenue in this period."),
  ];
}

function portfolioSection(row) {
  const currency = String(row.currency);
  return h("section", { class: "currency", "data-currency": currency, "aria-label": "Portfolio in " + currency },
    h("h2", {}, currency + " · " + Format.count(row.listings) + (row.listings === 1 ? " listing" : " listings")),
    h("dl", { class: "stats" },
      stat("Occupancy", Format.percent(row.occupancy_rate)),
      stat("ADR", Format.money(row.adr, currency)),
      stat("RevPAR", Format.money(row.revpar, currency)),
      stat("Revenue", Format.money(row.revenue, currency)),
      stat("Booked / available nights", Format.count(row.booked_nights) + " / " + Format.count(row.available_nights)),
      stat("Owner nights", Format.count(row.owner_nights)),
      stat("Blocked nights", Format.count(row.blocked_nights)),
      stat("Orphan-gap nights", Format.count(row.gap_night_count))));
}

function listingRow(row, maxAdr) {
  const currency = row.currency ? String(row.currency) : "";
  const rate = row.occupancy_rate;
  return h("tr", { "data-listing-id": row.listing_id },
    h("th", { scope: "row", class: "listing-name", title: String(row.name) }, String(row.name)),
    h("td", { class: "occ" }, h("span", { class: "cell" },
      h("span", { class: "bar-track", "aria-hidden": "true" },
        h("span", { class: "bar", style: { width: share(Number(rate), 1) } })),
      h("span", { class: "occ-value" }, Format.percent(rate)))),
    h("td", { class: "num adr" }, h("span", { class: "cell" },
      h("span", { class: "bar-track mini", "aria-hidden": "true" },
        h("span", { class: "bar", style: { width: share(Number(row.adr), maxAdr[currency]) } })),
      h("span", {}, Format.money(row.adr, currency)))),
    h("td", { class: "num" }, Format.money(row.revpar, currency)),
    h("td", { class: "num" }, Format.money(row.revenue, currency)),
    h("td", { class: "num" }, Format.count(row.booked_nights) + " / " + Format.count(row.available_nights)),
    h("td", { class: "num" }, Format.count(row.gap_count)));
}

function gapList(listings) {
  const withGaps = listings.filter((row) => (row.gap_count || 0) > 0 || (row.gap_nights || []).length);
  if (!withGaps.length) return h("p", { class: "muted" }, "No orphan gaps.");
  return h("ul", { class: "gaps" }, withGaps.map((row) => {
    const shown = row.gap_nights || [];
    const hidden = (row.gap_count || 0) - shown.length;
    return h("li", { "data-listing-id": row.listing_id },
      h("span", { class: "gap-listing" }, String(row.name)),
      h("ul", {}, shown.map((gap) => h("li", {},
        Format.day(gap.start_date, { year: undefined }) + " → " + Format.day(gap.end_date, { year: undefined }) +
        " · " + gap.nights + (gap.nights === 1 ? " night" : " nights"))),
      hidden > 0 ? h("li", { class: "muted" }, hidden + " more not listed") : null));
  }));
}

function renderOccupancy(data) {
  const listings = Array.isArray(data.listings) ? data.listings : [];
  const portfolio = Array.isArray(data.portfolio) ? data.portfolio : [];
  const other = Array.isArray(data.revenue_other_currencies) ? data.revenue_other_currencies : [];
  const maxAdr = {}; // ADR bars compare listings of one currency only
  for (const row of listings) {
    const currency = row.currency ? String(row.currency) : "";
    maxAdr[currency] = Math.max(maxAdr[currency] || 0, Number(row.adr) || 0);
  }
  return [
    h("header", { class: "top" },
      h("h1", {}, "Occupancy"),
      h("p", { class: "muted small" }, period(data) + " · orphan gaps up to " + data.gap_max_nights + " nights")),
    notes([
      data.truncated ? "Showing " + listings.length + " of " + data.listings_total + " listings." : null,
      data.gaps_condensed ? "Only the orphan gaps nearest today are listed; the counts are complete." : null,
    ]),
    portfolio.map(portfolioSection),
    h("h2", { class: "section-title" }, "By listing"),
    h("div", { class: "table-wrap" },
      h("table", { class: "listings" },
        h("thead", {}, h("tr", {},
          ["Listing", "Occupancy", "ADR", "RevPAR", "Revenue", "Booked / available", "Gaps"].map((title) =>
            h("th", { scope: "col" }, title)))),
        h("tbody", {}, listings.map((row) => listingRow(row, maxAdr))))),
    h("h2", { class: "section-title" }, "Orphan gaps"),
    gapList(listings),
    other.length
      ? [h("h2", { class: "section-title" }, "Revenue in another currency than its listing (not in the rows)"),
        h("ul", { class: "notes" }, other.map((item) =>
          h("li", {}, "Listing " + item.listing_id + ": " + Format.money(item.revenue, item.currency))))]
      : null,
  ];
}

function render(result) {
  const data = resultData(result);
  if (result.isError) return showState(resultText(result) || "The report could not be made.", "error");
  if (!data) return showState("The tool answered without report data.", "error");
  const app = document.getElementById("app");
  if (Array.isArray(data.currency_totals) && Array.isArray(data.groups)) {
    app.replaceChildren(...[renderRevenue(data)].flat(Infinity).filter(Boolean));
  } else if (Array.isArray(data.portfolio) && Array.isArray(data.listings)) {
    app.replaceChildren(...[renderOccupancy(data)].flat(Infinity).filter(Boolean));
  } else {
    showState("This result is not a revenue or occupancy report.", "error");
  }
}

let lastResult = null;
Bridge.on("ui/notifications/tool-result", (result) => {
  lastResult = result;
  render(result);
});
Bridge.on("ui/notifications/tool-cancelled", () => showState("The report request was cancelled."));
Bridge.on("context", () => {
  if (lastResult) render(lastResult); // a new locale changes the number format
});
Bridge.connect("hostaway-report", { availableDisplayModes: ["inline", "fullscreen"] }).catch((error) =>
  showState("Could not reach the host: " + error.message, "error"));
