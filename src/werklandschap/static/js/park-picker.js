/*
 * The park picker of the partner-park sign-up form (/aanmelden/).
 *
 * - "Existing park": search by name or municipality (an ARIA combobox over
 *   the JSON search endpoint) or click a park on the map; the choice goes
 *   into the hidden input #id_park.
 * - "New park": draw the outline with Leaflet-Geoman; the drawing goes as
 *   GeoJSON (WGS84) into the hidden input #id_outline_drawn. The server
 *   checks it (outlines.py); the script only helps.
 *
 * - "New park" also has a place search (municipalities and places, JSON
 *   endpoint) that takes the map there: drawing starts only from zoom
 *   config.drawMinZoom (a park drawn at country zoom was 27,000 ha), and the
 *   area is checked against PARK_MIN/MAX_AREA_HA while drawing.
 *
 * Configuration: JSON in <script id="picker-config"> (partnership/views.py).
 * The map element gets data-state="ready" once the parks are drawn, which
 * the browser test waits for. Park names come from imports: text is always
 * set with textContent, never as HTML.
 */
(function () {
  "use strict";

  var NL_CENTRE = [52.15, 5.3];
  var NL_ZOOM = 7;
  var SEARCH_DELAY_MS = 200;

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }
  var LANG = document.documentElement.lang || "nl";

  // Hectares as the server writes them (partnership/outlines.py, format_ha): the
  // page's locale, grouped, one decimal from 1 ha up, two below.
  function formatHa(ha) {
    return ha.toLocaleString(LANG, { maximumFractionDigits: ha < 1 ? 2 : 1 });
  }

  // Leaflet listens for focus on a shape with a tooltip, and Chromium makes an SVG
  // element with focus listeners a tab stop: every park on the map was one (about
  // 3,800 in the registry). The map is one stop; the search box chooses a park.
  function outOfTabOrder(layer) {
    layer.on("add", function () {
      var node = layer.getElement && layer.getElement();
      if (node) node.setAttribute("tabindex", "-1");
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // Area of a WGS84 polygon ring in m² (spherical excess approximation, good
  // to a few per cent at park size); only for the "you drew N ha" feedback.
  function ringArea(latlngs) {
    var R = 6378137, area = 0, n = latlngs.length;
    if (n < 3) return 0;
    for (var i = 0; i < n; i++) {
      var p1 = latlngs[i], p2 = latlngs[(i + 1) % n];
      area += (p2.lng - p1.lng) * Math.PI / 180 *
        (2 + Math.sin(p1.lat * Math.PI / 180) + Math.sin(p2.lat * Math.PI / 180));
    }
    return Math.abs(area * R * R / 2);
  }

  function init(mapEl) {
    var config = JSON.parse(document.getElementById(mapEl.dataset.pickerConfig).textContent);
    var labels = config.labels;
    var form = mapEl.closest("form");
    var parkInput = $("#id_park", form);
    var drawnInput = $("#id_outline_drawn", form);
    var status = document.getElementById(mapEl.id + "-status");
    var style = getComputedStyle(document.documentElement);
    var colour = {
      park: style.getPropertyValue("--role-none").trim() || "#6b6b6b",
      partner: style.getPropertyValue("--role-partner").trim() || "#00875f",
      chosen: style.getPropertyValue("--focus-strong").trim() || "#b35c00",
      error: style.getPropertyValue("--danger").trim() || "#a4262c"
    };

    var map = L.map(mapEl, { center: NL_CENTRE, zoom: NL_ZOOM, zoomSnap: 0.25, scrollWheelZoom: false, keyboard: true });
    // One tab stop: + and - on the focused map zoom, so the buttons stay out of the tab order.
    map.attributionControl.setPrefix("Leaflet");
    $all(".leaflet-control-zoom a", mapEl).forEach(function (a) { a.setAttribute("tabindex", "-1"); });
    map.createPane("provinces").style.zIndex = 250;
    // The zoom level as an attribute: lets the browser test wait for a zoom to settle.
    map.on("zoomend", function () { mapEl.dataset.zoom = String(map.getZoom()); });
    mapEl.dataset.zoom = String(map.getZoom());
    // The centre too, for the place-search test ("lat,lng").
    map.on("moveend", function () {
      var c = map.getCenter();
      mapEl.dataset.center = c.lat.toFixed(4) + "," + c.lng.toFixed(4);
    });

    // --- background ----------------------------------------------------------------
    if (config.tileUrl) {
      var loaded = 0, failed = 0;
      var tiles = L.tileLayer(config.tileUrl, { attribution: config.tileAttribution || "", maxZoom: 19, minZoom: 6 });
      tiles.on("tileload", function () { loaded += 1; });
      tiles.on("tileerror", function () {
        failed += 1;
        if (loaded === 0 && failed >= 2 && !mapEl.classList.contains("map--no-tiles")) {
          mapEl.classList.add("map--no-tiles");
          if (status) status.textContent = labels.tilesFailed;
        }
      });
      tiles.addTo(map);
    } else {
      mapEl.classList.add("map--no-tiles");
    }
    fetch(config.provincesUrl).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) return;
      L.geoJSON(data, {
        pane: "provinces", interactive: false,
        style: { className: "province-outline", color: "#5d6b63", weight: 1, opacity: 0.8, fill: false }
      }).addTo(map);
    }).catch(function () { /* a nicety */ });

    // --- choosing an existing park ---------------------------------------------------
    var layersBySlug = {};
    var idBySlug = {};
    var chosenLayer = null;
    var chosenBox = $("[data-chosen-park]", form);

    function baseStyle(feature) {
      var c = feature.properties.role && feature.properties.role !== "none" ? colour.partner : colour.park;
      return { color: c, weight: 1.5, fillColor: c, fillOpacity: 0.3 };
    }

    function highlight(layer) {
      if (chosenLayer && chosenLayer.feature) chosenLayer.setStyle(baseStyle(chosenLayer.feature));
      chosenLayer = layer || null;
      if (chosenLayer) {
        chosenLayer.setStyle({ color: colour.chosen, weight: 4, fillColor: colour.chosen, fillOpacity: 0.35 });
        chosenLayer.bringToFront();
      }
    }

    function choose(park, options) {
      parkInput.value = park.id;
      $("[data-chosen-name]", chosenBox).textContent = park.name;
      var sub = [park.municipality, park.area_ha ? formatHa(park.area_ha) + " " + labels.hectare : ""]
        .filter(Boolean).join(" · ");
      $("[data-chosen-sub]", chosenBox).textContent = sub;
      chosenBox.hidden = false;
      search.value = park.name;
      var layer = layersBySlug[park.slug];
      highlight(layer);
      if (options && options.zoom) {
        if (layer) map.fitBounds(layer.getBounds(), { maxZoom: 15, padding: [30, 30] });
        else if (park.bounds) map.fitBounds(park.bounds, { maxZoom: 15, padding: [30, 30] });
      }
    }

    var parksLayer = null;
    mapEl.dataset.state = "loading";
    fetch(config.parksUrl, { headers: { Accept: "application/geo+json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        parksLayer = L.geoJSON(data, {
          style: baseStyle,
          onEachFeature: function (feature, layer) {
            layersBySlug[feature.id] = layer;
            outOfTabOrder(layer);
            // A DOM text node, never an HTML string: Leaflet inserts strings as HTML.
            layer.bindTooltip(function () { return el("span", "map-tooltip", feature.properties.name); },
              { sticky: true, direction: "top" });
            layer.on("click", function () {
              if (currentMode() !== "existing" || drawing) return;
              fetchPark(feature.id).then(function (park) {
                if (park) choose(park, { zoom: false });
              });
            });
          }
        }).addTo(map);
        mapEl.dataset.featureCount = String((data.features || []).length);
        mapEl.dataset.state = "ready";
        if (parkInput.value) {
          // Restore the choice after a form error.
          fetchPark(null, parkInput.value).then(function (park) { if (park) choose(park, { zoom: true }); });
        }
      })
      .catch(function () {
        mapEl.dataset.state = "error";
        if (status) status.textContent = labels.loadFailed;
      });

    function fetchPark(slug, id) {
      var query = slug ? "slug=" + encodeURIComponent(slug) : "id=" + encodeURIComponent(id);
      return fetch(config.searchUrl + "?" + query)
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { return data.results[0] || null; });
    }

    // --- the search combobox -------------------------------------------------------------
    var search = $("[data-park-search]", form);
    var list = document.getElementById("park-results");
    var searchStatus = $("[data-search-status]", form);
    var results = [];
    var active = -1;
    var timer = null;

    function closeList() {
      list.hidden = true;
      search.setAttribute("aria-expanded", "false");
      search.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      var items = $all("[role=option]", list);
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && items[index]) {
        search.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        search.removeAttribute("aria-activedescendant");
      }
    }

    function render(data) {
      results = data.results || [];
      list.textContent = "";
      results.forEach(function (park, i) {
        var item = el("li", "combobox__option");
        item.id = "park-option-" + park.id;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.appendChild(el("span", "combobox__name", park.name));
        var sub = [park.municipality, park.province].filter(Boolean).join(", ");
        if (park.role && park.role !== "none") sub += (sub ? " · " : "") + park.role_label;
        item.appendChild(el("span", "combobox__sub", sub));
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { pick(i); });
        list.appendChild(item);
      });
      if (!results.length) {
        var none = el("li", "combobox__empty", labels.noResults);
        none.setAttribute("role", "option");
        none.setAttribute("aria-disabled", "true");
        none.id = "park-option-none";
        list.appendChild(none);
      }
      list.hidden = false;
      search.setAttribute("aria-expanded", "true");
      searchStatus.textContent = results.length ? format(labels.results, { count: results.length }) : labels.noResults;
      active = -1;
    }

    function pick(index) {
      var park = results[index];
      if (!park) return;
      closeList();
      choose(park, { zoom: true });
    }

    search.addEventListener("input", function () {
      parkInput.value = "";
      chosenBox.hidden = true;
      highlight(null);
      clearTimeout(timer);
      var q = search.value.trim();
      if (q.length < 2) { closeList(); return; }
      timer = setTimeout(function () {
        searchStatus.textContent = labels.searching;
        fetch(config.searchUrl + "?q=" + encodeURIComponent(q))
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (data) { if (search.value.trim() === q) render(data); })
          .catch(function () { searchStatus.textContent = labels.searchFailed; });
      }, SEARCH_DELAY_MS);
    });
    search.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); setActive(Math.min(active + 1, results.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); setActive(Math.max(active - 1, 0)); }
      else if (event.key === "Enter") {
        if (active >= 0) { event.preventDefault(); pick(active); }
      }
      else if (event.key === "Escape") { closeList(); }
    });
    search.addEventListener("blur", function () { setTimeout(closeList, 150); });

    // --- drawing a new park ----------------------------------------------------------------
    var drawnLayer = null;
    var drawing = false;
    var drawStatus = $("[data-draw-status]", form);
    var drawStart = $("[data-draw-start]", form);
    var drawClear = $("[data-draw-clear]", form);
    var minZoom = config.drawMinZoom || 13;
    var zoomNote = $("[data-draw-zoom-note]", form);
    zoomNote.textContent = labels.zoomIn;

    // Drawing starts only from minZoom: the note beside the button says so while the
    // map is further out (it changes on zoom, never while drawing, so the map stays put).
    function syncZoomNote() {
      var out = tooFarOut();
      zoomNote.hidden = !out;
      if (!out) zoomNote.dataset.state = "";
      drawStart.setAttribute("aria-disabled", out ? "true" : "false");
    }

    // The size verdict of an area: "ok", "large" or "small", and the sentence for it.
    function sizeVerdict(ha, final) {
      var values = { area: formatHa(ha), min: formatHa(config.minAreaHa), max: formatHa(config.maxAreaHa) };
      if (ha > config.maxAreaHa) return { state: "error", text: format(labels.tooLarge, values) };
      if (final && ha < config.minAreaHa) return { state: "error", text: format(labels.tooSmall, values) };
      return { state: final ? "ok" : "busy", text: format(final ? labels.drawn : labels.drawing, values) };
    }

    function showDrawStatus(verdict) {
      drawStatus.textContent = verdict ? verdict.text : "";
      drawStatus.dataset.state = verdict ? verdict.state : "";
    }

    function storeDrawing(layer) {
      if (drawnLayer && drawnLayer !== layer) map.removeLayer(drawnLayer);
      drawnLayer = layer;
      var ha = ringArea(layer.getLatLngs()[0]) / 10000;
      var verdict = sizeVerdict(ha, true);
      var c = verdict.state === "error" ? colour.error : colour.chosen;
      drawnLayer.setStyle({ color: c, weight: 3, fillColor: c, fillOpacity: 0.25 });
      // Kept even when out of range: the server says the same, and the person can redraw.
      drawnInput.value = JSON.stringify(layer.toGeoJSON().geometry);
      showDrawStatus(verdict);
      drawClear.hidden = false;
      layer.off("pm:edit");
      layer.on("pm:edit", function () { storeDrawing(layer); });
    }

    function clearDrawing() {
      if (drawnLayer) map.removeLayer(drawnLayer);
      drawnLayer = null;
      drawnInput.value = "";
      showDrawStatus(null);
      drawClear.hidden = true;
    }

    function tooFarOut() {
      return map.getZoom() < minZoom;
    }

    if (map.pm) {
      map.pm.setLang(LANG === "en" ? "en" : "nl");
      map.on("pm:create", function (event) {
        drawing = false;
        mapEl.dataset.drawing = "false";
        storeDrawing(event.layer);
      });
      map.on("pm:drawstart", function (event) {
        // The size while drawing: after every corner, the area of the shape so far.
        event.workingLayer.on("pm:vertexadded", function () {
          var points = event.workingLayer.getLatLngs();
          if (points.length >= 3) showDrawStatus(sizeVerdict(ringArea(points) / 10000, false));
        });
      });
      map.on("pm:drawend", function () { drawing = false; mapEl.dataset.drawing = "false"; });
      map.on("zoomend", function () {
        if (drawing && tooFarOut()) {
          // Zoomed out to country level mid-drawing: stop, as at the start.
          map.pm.disableDraw();
          zoomNote.dataset.state = "error";
        }
        syncZoomNote();
      });
      syncZoomNote();
      drawStart.addEventListener("click", function () {
        if (tooFarOut()) {
          zoomNote.hidden = false;
          zoomNote.dataset.state = "error";
          placeSearch.focus();
          return;
        }
        drawing = true;
        mapEl.dataset.drawing = "true";
        showDrawStatus(null);
        map.pm.enableDraw("Polygon", { snappable: true, continueDrawing: false });
        if (status) status.textContent = labels.drawHint;
        var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
        mapEl.scrollIntoView({ block: "center", behavior: still ? "auto" : "smooth" });
      });
      drawClear.addEventListener("click", clearDrawing);
    } else {
      drawStart.hidden = true;
    }

    if (drawnInput.value) {
      // Show the earlier drawing again after a form error.
      try {
        var restored = L.geoJSON(JSON.parse(drawnInput.value)).getLayers()[0];
        if (restored) {
          restored.addTo(map);
          storeDrawing(restored);
          map.fitBounds(restored.getBounds(), { maxZoom: 16, padding: [30, 30] });
        }
      } catch (e) { drawnInput.value = ""; }
    }

    // --- finding a place to draw -----------------------------------------------------------
    // Municipalities (CBS) and places (the registry), from config.placesUrl. Choosing one
    // takes the map there, at least at the zoom from which drawing starts.
    var placeSearch = $("[data-place-search]", form);
    var placeList = document.getElementById("place-results");
    var placeStatus = $("[data-place-status]", form);
    var places = [];
    var placeActive = -1;
    var placeTimer = null;

    function closePlaces() {
      placeList.hidden = true;
      placeSearch.setAttribute("aria-expanded", "false");
      placeSearch.removeAttribute("aria-activedescendant");
      placeActive = -1;
    }

    function setPlaceActive(index) {
      var items = $all("[role=option]", placeList);
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      placeActive = index;
      if (index >= 0 && items[index]) placeSearch.setAttribute("aria-activedescendant", items[index].id);
    }

    function goToPlace(place) {
      var bounds = L.latLngBounds(place.bounds);
      var zoom = Math.max(Math.min(map.getBoundsZoom(bounds), 15), minZoom);
      map.setView(bounds.getCenter(), zoom);
      placeStatus.textContent = format(labels.placeShown, { name: place.name });
      if (status) status.textContent = format(labels.placeShown, { name: place.name });
    }

    function pickPlace(index) {
      var place = places[index];
      if (!place) return;
      placeSearch.value = place.name;
      closePlaces();
      goToPlace(place);
    }

    function renderPlaces(data) {
      places = data.results || [];
      placeList.textContent = "";
      places.forEach(function (place, i) {
        var item = el("li", "combobox__option");
        item.id = "place-option-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.appendChild(el("span", "combobox__name", place.name));
        item.appendChild(el("span", "combobox__sub", [labels[place.kind] || "", place.province].filter(Boolean).join(", ")));
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { pickPlace(i); });
        placeList.appendChild(item);
      });
      if (!places.length) {
        var none = el("li", "combobox__empty", labels.placeNone);
        none.setAttribute("role", "option");
        none.setAttribute("aria-disabled", "true");
        none.id = "place-option-none";
        placeList.appendChild(none);
      }
      placeList.hidden = false;
      placeSearch.setAttribute("aria-expanded", "true");
      placeStatus.textContent = places.length ? format(labels.placeResults, { count: places.length }) : labels.placeNone;
      placeActive = -1;
    }

    if (placeSearch) {
      placeSearch.addEventListener("input", function () {
        clearTimeout(placeTimer);
        var q = placeSearch.value.trim();
        if (q.length < 2) { closePlaces(); return; }
        placeTimer = setTimeout(function () {
          fetch(config.placesUrl + "?q=" + encodeURIComponent(q))
            .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
            .then(function (data) { if (placeSearch.value.trim() === q) renderPlaces(data); })
            .catch(function () { placeStatus.textContent = labels.searchFailed; });
        }, SEARCH_DELAY_MS);
      });
      placeSearch.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          // Never submits the sign-up: Enter takes the highlighted (or first) place.
          event.preventDefault();
          if (!placeList.hidden && places.length) pickPlace(placeActive >= 0 ? placeActive : 0);
          return;
        }
        if (placeList.hidden) return;
        if (event.key === "ArrowDown") { event.preventDefault(); setPlaceActive(Math.min(placeActive + 1, places.length - 1)); }
        else if (event.key === "ArrowUp") { event.preventDefault(); setPlaceActive(Math.max(placeActive - 1, 0)); }
        else if (event.key === "Escape") { closePlaces(); }
      });
      placeSearch.addEventListener("blur", function () { setTimeout(closePlaces, 150); });
    }

    // --- mode switch -------------------------------------------------------------------------
    function currentMode() {
      var checked = $("input[name=park_mode]:checked", form);
      return checked ? checked.value : "existing";
    }
    function applyMode() {
      var mode = currentMode();
      $all("[data-mode-panel]", form).forEach(function (panel) {
        panel.hidden = panel.dataset.modePanel !== mode;
      });
      mapEl.dataset.mode = mode;
      if (mode !== "new" && map.pm) map.pm.disableDraw();
    }
    $all("input[name=park_mode]", form).forEach(function (radio) { radio.addEventListener("change", applyMode); });
    applyMode();
  }

  function focusErrors() {
    var summary = $("[data-error-summary]");
    if (summary) summary.focus();
  }

  function start() {
    focusErrors();
    if (typeof L === "undefined") return;
    $all("[data-park-picker]").forEach(init);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
