/*
 * The park dashboard: the park map with its land cover and raster overlays,
 * layer toggles, and a quiet reload when a queued scan is ready.
 *
 * Configuration is the JSON in <script id="park-dashboard-map-config"> (see
 * werklandschap/portal/views.py, _map_config). Land cover is GeoJSON coloured by
 * the scan class; canopy, heat and flood are PNG overlays the server warped to
 * Web Mercator, placed with the bounds it computed. The map never depends on the
 * background tiles: the park's own layers are drawn whether or not they load.
 *
 * When the land cover is drawn the map element gets data-state="ready" and
 * data-feature-count, which the browser test waits for.
 */
(function () {
  "use strict";

  function setStatus(mapEl, text) {
    var status = document.getElementById(mapEl.id + "-status");
    if (status) status.textContent = text || "";
  }

  // Numbers in the page's language (the <html lang> the server set), as the server
  // writes them: 1.234 m² / 0,57 ha on the Dutch page, 1,234 m² / 0.57 ha on the English.
  function formatArea(m2) {
    var lang = document.documentElement.lang || "nl";
    if (m2 >= 10000) return (m2 / 10000).toLocaleString(lang, { maximumFractionDigits: 2 }) + "\u00a0ha";
    return Math.round(m2).toLocaleString(lang) + "\u00a0m²";
  }

  // Class key -> name in the page's language, from the legend the server rendered;
  // the land-cover GeoJSON carries keys only (one cached body for every language).
  function classNames(config) {
    var names = {};
    (config.landcoverLegend || []).forEach(function (item) { names[item.key] = item.label; });
    return names;
  }

  // Leaflet listens for focus on a shape with a tooltip, and Chromium makes an SVG
  // element with focus listeners a tab stop: the 2,431 land-cover shapes of a park
  // were 2,431 stops before the layer switches. The map itself is the one stop
  // (arrow keys pan, + and - zoom); its shapes are reachable by pointer only.
  function outOfTabOrder(layer) {
    layer.on("add", function () {
      var node = layer.getElement && layer.getElement();
      if (node) node.setAttribute("tabindex", "-1");
    });
  }

  // The zoom buttons do what + and - do on the focused map: out of the tab order,
  // so that one Tab past the map leaves it.
  function oneTabStop(map) {
    map.attributionControl.setPrefix("Leaflet");
    Array.prototype.forEach.call(
      map.getContainer().querySelectorAll(".leaflet-control-zoom a"),
      function (button) { button.setAttribute("tabindex", "-1"); }
    );
  }

  function addTiles(map, mapEl, config) {
    if (!config.tileUrl) {
      mapEl.classList.add("map--no-tiles");
      return;
    }
    var loaded = 0, failed = 0, told = false;
    var tiles = L.tileLayer(config.tileUrl, {
      attribution: config.tileAttribution,
      maxZoom: 19,
      maxNativeZoom: 19
    });
    tiles.on("tileload", function () { loaded += 1; });
    tiles.on("tileerror", function () {
      failed += 1;
      if (!loaded && failed >= 2 && !told) {
        told = true;
        mapEl.classList.add("map--no-tiles");
        setStatus(mapEl, config.labels.tilesFailed);
      }
    });
    tiles.addTo(map);
  }

  function initMap(mapEl) {
    var configEl = document.getElementById(mapEl.getAttribute("data-map-config"));
    if (!configEl || typeof L === "undefined") return;
    var config = JSON.parse(configEl.textContent);
    var map = L.map(mapEl, { scrollWheelZoom: false, zoomSnap: 0.25, keyboard: true });
    oneTabStop(map);
    addTiles(map, mapEl, config);
    // Fixed stacking whatever the order of the toggles: land cover, then the raster
    // overlays (so heat or water can be read on top of the land cover), then the outline.
    map.createPane("landcover").style.zIndex = 410;
    map.createPane("rasters").style.zIndex = 420;
    map.createPane("outline").style.zIndex = 430;
    var landcoverRenderer = L.svg({ pane: "landcover" });

    var outline = null;
    if (config.outline) {
      outline = L.geoJSON(config.outline, {
        style: { color: "#111", weight: 2.5, fill: false, interactive: false },
        pane: "outline"
      });
      map.fitBounds(outline.getBounds(), { padding: [16, 16] });
    } else {
      map.setView([52.15, 5.3], 7);
    }

    var layers = {};
    var overlays = {};
    (config.overlays || []).forEach(function (o) { overlays[o.role] = o; });

    function show(role, on) {
      if (role === "landcover") {
        if (!layers.landcover) return;
        if (on) layers.landcover.addTo(map); else map.removeLayer(layers.landcover);
      } else {
        var o = overlays[role];
        if (!o) return;
        if (!layers[role]) {
          layers[role] = L.imageOverlay(o.url, o.bounds, {
            opacity: 0.85, alt: o.label, className: "overlay-" + role, pane: "rasters"
          });
          layers[role].on("error", function () { setStatus(mapEl, config.labels.loadFailed + " (" + o.label + ")"); });
        }
        if (on) layers[role].addTo(map); else map.removeLayer(layers[role]);
      }
    }

    document.querySelectorAll("input[data-layer]").forEach(function (box) {
      box.addEventListener("change", function () { show(box.getAttribute("data-layer"), box.checked); });
    });

    function ready(count) {
      if (outline) outline.addTo(map);
      mapEl.setAttribute("data-feature-count", String(count));
      mapEl.setAttribute("data-state", "ready");
    }

    if (!config.landcoverUrl) { ready(0); return; }
    fetch(config.landcoverUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) throw new Error(body && body.error ? body.error : config.labels.loadFailed);
          return body;
        });
      })
      .then(function (data) {
        var present = {};
        var names = classNames(config);
        layers.landcover = L.geoJSON(data, {
          renderer: landcoverRenderer,
          pane: "landcover",
          style: function (f) {
            return { color: "#ffffff", weight: 0.4, fillColor: f.properties.colour, fillOpacity: 0.85 };
          },
          onEachFeature: function (f, layer) {
            present[f.properties["class"]] = true;
            outOfTabOrder(layer);
            // A DOM node, not an HTML string: labels come from a data file, never markup.
            var tip = document.createElement("span");
            var cls = f.properties["class"];
            tip.textContent = (names[cls] || cls) + " · " + formatArea(f.properties.area_m2);
            layer.bindTooltip(tip, { sticky: true });
          }
        });
        var box = document.querySelector("input[data-layer=landcover]");
        if (!box || box.checked) layers.landcover.addTo(map);
        document.querySelectorAll("[data-landcover-legend] [data-class]").forEach(function (li) {
          li.hidden = !present[li.getAttribute("data-class")];
        });
        ready(data.features.length);
      })
      .catch(function (err) {
        setStatus(mapEl, err.message || config.labels.loadFailed);
        mapEl.setAttribute("data-state", "error");
        if (outline) outline.addTo(map);
      });
  }

  function pollPending(node) {
    var url = node.getAttribute("data-status-url");
    var known = node.getAttribute("data-scan") || null;
    function tick() {
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (!s.pending || String(s.scan || "") !== String(known || "")) {
            window.location.reload();
          } else {
            window.setTimeout(tick, 3000);
          }
        })
        .catch(function () { window.setTimeout(tick, 10000); });
    }
    window.setTimeout(tick, 3000);
  }

  document.querySelectorAll("[data-park-dashboard-map]").forEach(initMap);
  var pending = document.querySelector("[data-scan-pending]");
  if (pending) pollPending(pending);
})();
