// The one piece of glue between the page and the map's frame. The map follows the page's
// As-of slider and Status pills while they move, before Streamlit reruns the page; and the
// page's address follows the map's frame (`map=ZOOM/LAT/LON`) as the person pans and zooms,
// without a rerun; and on a narrow screen the sidebar closes after use.
//
// The map's frame is served by the same Streamlit server as the page, so it may read the page.
// It finds the page's widgets by their keys, through the `st-key-<key>` class Streamlit gives a
// keyed widget's container:
// - the slider's range input (Streamlit writes its date as microseconds since 1970, UTC) and
//   the pills' pressed buttons, read as a person sees them;
// - the hidden `map` text input (footprint/ui/state.py: frame_field), which Streamlit binds to
//   the address's `map=` and keeps without a rerun (on_change="ignore", live): after each pan or
//   zoom this file types the frame into it, as a person would, and Streamlit writes the
//   address; the next rerun, whatever asks for it, brings the frame to the server.
// - on a narrow screen, where the open sidebar lies over the page (`[data-testid=stSidebar]`
//   reaching past the left of `[data-testid=stMain]`), Enter in one of its fields (a search, a
//   typed date) closes it by its own button (`[data-testid=stSidebarCollapseButton] button`)
//   once Streamlit has taken the field, so that the person sees what the field did.
// - Esc closes an open dialog (`[role=dialog]`) by its own Close button when the focus has
//   fallen out of it: a download button, redrawn while its file is made, drops the focus to
//   the page's body, where the dialog no longer hears the key (test_access.py:
//   test_esc_closes_the_export_dialog_after_a_download).
// Each of these hooks has a browser test (tests/browser/test_glue.py) that fails if a
// Streamlit upgrade moves it. Whatever cannot be read is left to the rerun: the server sends
// the same view a moment later, so a broken hook costs speed, never correctness.
window.FootprintFollow = window.FootprintFollow || (function () {
  const SLIDER = ".st-key-asof input[type=range]";
  const PILLS = ".st-key-status button[aria-pressed]";
  const FRAME = ".st-key-map input";
  const SIDEBAR = "[data-testid=stSidebar]";
  const MAIN = "[data-testid=stMain]";
  const CLOSE = "[data-testid=stSidebarCollapseButton] button";
  const FIELD = "input, textarea, [role=spinbutton]";
  const DIALOG = "[role=dialog]";
  const DIALOG_CLOSE = "button[aria-label=Close]";

  // The view the page's widgets hold, on top of the last view the server sent.
  function read(doc, served, labels) {
    const view = Object.assign({}, served);
    const slider = doc.querySelector(SLIDER);
    const micros = slider ? Number(slider.value) : NaN;
    if (slider && slider.value !== "" && Number.isFinite(micros)) {
      view.asof = new Date(micros / 1000).toISOString().slice(0, 10);
    }
    const pills = Array.from(doc.querySelectorAll(PILLS));
    const keys = pills.filter((b) => b.getAttribute("aria-pressed") === "true")
      .map((b) => labels[b.textContent.trim()]);
    if (pills.length && keys.every(Boolean)) { view.status = keys; }
    return view;
  }

  // The map's frame as `map=` writes it: zoom to 2 decimals, lat and lon to 4, no trailing
  // zeros (the rule of footprint.view.map_text).
  function frameText(map) {
    const fixed = function (x, places) {
      const text = x.toFixed(places).replace(/\.?0+$/, "");
      return text === "-0" ? "0" : text;
    };
    const c = map.getCenter();
    return [fixed(map.getZoom(), 2), fixed(c.lat, 4), fixed(c.lng, 4)].join("/");
  }

  // Type `text` into the page's frame field, as a person would (React reads the input event).
  function writeFrame(doc, text) {
    const input = doc.querySelector(FRAME);
    if (!input || input.value === text) { return; }
    const win = doc.defaultView;
    Object.getOwnPropertyDescriptor(win.HTMLInputElement.prototype, "value").set.call(input, text);
    input.dispatchEvent(new win.Event("input", {bubbles: true}));
  }

  // A rerun that began before the last pan sends the address it began with; put the frame back.
  function keepAddress(doc, written) {
    const win = doc.defaultView, url = new URL(win.location.href);
    if (written === null || url.searchParams.get("map") === written) { return; }
    url.searchParams.set("map", written);
    win.history.replaceState(win.history.state, "", url.toString());
  }

  // The frame: open on the one the server's first view names (a link's, or the frame before
  // this map was shown: another view or basemap); then write each new frame into the page.
  function followFrame(map, doc) {
    let written = null;
    let first = true;
    window.FootprintSites.onServe(function (view) {
      if (first) {
        first = false;
        if (view.frame) {
          map.setView([view.frame[1], view.frame[2]], view.frame[0], {animate: false});
        } else {
          writeFrame(doc, "");  // a link's frame the server refused: out of the address
        }
        // From the next task: streamlit-folium centres a selected site after this view.
        setTimeout(() => map.on("moveend", function () {
          written = frameText(map);
          writeFrame(doc, written);
        }));
      }
      keepAddress(doc, written);
    });
    return () => keepAddress(doc, written);
  }

  // Whether the sidebar is open over the page (a narrow screen), rather than beside it.
  function covers(doc) {
    const bar = doc.querySelector(SIDEBAR), main = doc.querySelector(MAIN);
    if (!bar || !main) { return false; }
    return bar.getBoundingClientRect().right > main.getBoundingClientRect().left + 1;
  }

  // Enter in a field of a sidebar that covers the page closes the sidebar, after Streamlit has
  // taken the field (it reads the same key press).
  function closeAfterUse(doc) {
    const win = doc.defaultView;
    const onKey = function (event) {
      const field = event.target.closest ? event.target.closest(FIELD) : null;
      if (event.key !== "Enter" || !field || !field.closest(SIDEBAR) || !covers(doc)) { return; }
      win.setTimeout(function () {
        const button = doc.querySelector(CLOSE);
        if (button && covers(doc)) { button.click(); }
      });
    };
    doc.addEventListener("keydown", onKey);
    window.addEventListener("pagehide", () => doc.removeEventListener("keydown", onKey));
  }

  // Esc closes the open dialog when the focus is no longer in it (inside, the dialog does).
  function escapeCloses(doc) {
    const onKey = function (event) {
      const dialog = doc.querySelector(DIALOG);
      if (event.key !== "Escape" || !dialog || dialog.contains(doc.activeElement)) { return; }
      const close = dialog.querySelector(DIALOG_CLOSE);
      if (close) { close.click(); }
    };
    doc.addEventListener("keydown", onKey);
    window.addEventListener("pagehide", () => doc.removeEventListener("keydown", onKey));
  }

  // Watch the page; draw what its widgets hold once per animation frame at most.
  // `labels`: each status pill's label -> its status value (the data's labels).
  function start(map, labels) {
    let doc = null;
    try { doc = window.parent !== window ? window.parent.document : null; } catch (e) { doc = null; }
    if (!doc || !doc.body || !window.FootprintSites) { return; }
    const address = followFrame(map, doc);
    closeAfterUse(doc);
    escapeCloses(doc);
    let queued = false;
    const update = function () {
      queued = false;
      const served = window.FootprintSites.served();
      if (served) { window.FootprintSites.draw(read(doc, served, labels)); }
      address();
    };
    const watch = new MutationObserver(function () {
      if (!queued) { queued = true; requestAnimationFrame(update); }
    });
    watch.observe(doc.body, {subtree: true, childList: true, attributes: true,
      attributeFilter: ["value", "aria-pressed"]});
    // A new base map (another basemap, say) gets a new frame: stop watching from this one.
    window.addEventListener("pagehide", () => watch.disconnect());
  }

  return {start: start, read: read, frameText: frameText, covers: covers, SLIDER: SLIDER,
    PILLS: PILLS, FRAME: FRAME, SIDEBAR: SIDEBAR, MAIN: MAIN, CLOSE: CLOSE};
})();
