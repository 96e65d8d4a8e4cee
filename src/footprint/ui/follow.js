// The one piece of glue between the page and the map's frame: the map follows the page's
// As-of slider and Status pills while they move, before Streamlit reruns the page.
//
// The map's frame is served by the same Streamlit server as the page, so it may read the page.
// It finds the two widgets by their keys, through the `st-key-<key>` class Streamlit gives a
// keyed widget's container, and reads them as a person sees them: the slider's range input
// (Streamlit writes its date as microseconds since 1970, UTC) and the pills' pressed buttons.
// Each of these hooks has a browser test (tests/browser/test_glue.py) that fails if a
// Streamlit upgrade moves it. Whatever cannot be read is left to the rerun: the server sends
// the same view a moment later, so a broken hook costs speed, never correctness.
window.FootprintFollow = window.FootprintFollow || (function () {
  const SLIDER = ".st-key-asof input[type=range]";
  const PILLS = ".st-key-status button[aria-pressed]";

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

  // Watch the page; draw what its widgets hold once per animation frame at most.
  // `labels`: each status pill's label -> its status value (the data's labels).
  function start(labels) {
    let doc = null;
    try { doc = window.parent !== window ? window.parent.document : null; } catch (e) { doc = null; }
    if (!doc || !doc.body || !window.FootprintSites) { return; }
    let queued = false;
    const update = function () {
      queued = false;
      const served = window.FootprintSites.served();
      if (served) { window.FootprintSites.draw(read(doc, served, labels)); }
    };
    const watch = new MutationObserver(function () {
      if (!queued) { queued = true; requestAnimationFrame(update); }
    });
    watch.observe(doc.body, {subtree: true, childList: true, attributes: true,
      attributeFilter: ["value", "aria-pressed"]});
    // A new base map (another basemap, say) gets a new frame: stop watching from this one.
    window.addEventListener("pagehide", () => watch.disconnect());
  }

  return {start: start, read: read, SLIDER: SLIDER, PILLS: PILLS};
})();
