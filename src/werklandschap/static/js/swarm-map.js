/*
 * The swarm map: parks coloured by their role in the swarm, on province
 * outlines and (when reachable) the background tiles.
 *
 * Every <div data-swarm-map data-map-config="ID"> on the page becomes a map;
 * its configuration is the JSON in <script id="ID" type="application/json">
 * (see werklandschap/front/maps.py). The map never depends on the tiles: its
 * own features and the province outlines are drawn whether or not the tile
 * service answers, so the map stays readable offline or behind a firewall.
 *
 * When the parks are drawn the map element gets data-state="ready" and
 * data-feature-count, which the browser test waits for.
 */
(function () {
  "use strict";

  var NL_CENTRE = [52.15, 5.3];
  var NL_ZOOM = 7;
  // Below this zoom level a park is also shown as a dot, so that a park of a
  // few hectares is still visible on the national map.
  var MARKER_MAX_ZOOM = 12;
  var ROLES = ["partner", "ambassador", "living_lab", "showcase", "none"];

  function roleColours() {
    // The colours are defined once, as CSS custom properties in site.css.
    var style = getComputedStyle(document.documentElement);
    var colours = {};
    ROLES.forEach(function (role) {
      colours[role] = style.getPropertyValue("--role-" + role.replace("_", "-")).trim() || "#555";
    });
    return colours;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // Leaflet inserts a *string* tooltip or popup as HTML; park names come from
  // sign-ups and imported files, so every tooltip and popup is a DOM node whose
  // text is set with textContent. A function, so each layer gets its own node.
  function textTooltip(text) {
    return function () { return el("span", "map-tooltip", text); };
  }

  // Leaflet listens for focus on a shape with a tooltip or popup, and Chromium
  // makes an SVG element with focus listeners a tab stop: every park outline and
  // dot was one. The map itself is the one stop (arrow keys pan, + and - zoom);
  // the park list is the keyboard's way to a park.
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

  function popupContent(props, labels) {
    // Built from DOM nodes, never from HTML strings: park names come from imports.
    var box = el("div", "park-popup");
    box.appendChild(el("h3", "park-popup__name", props.name));
    var facts = el("dl", "park-popup__facts");
    function fact(label, value) {
      if (value === null || value === undefined || value === "") return;
      facts.appendChild(el("dt", null, label));
      facts.appendChild(el("dd", null, value));
    }
    fact(labels.role, props.role_label);
    fact(labels.municipality, props.municipality);
    fact(labels.province, props.province);
    if (props.area_ha !== null && props.area_ha !== undefined) {
      fact(labels.area, props.area_ha.toLocaleString(document.documentElement.lang) + " " + labels.hectare);
    }
    box.appendChild(facts);
    if (props.is_demo) box.appendChild(el("p", "park-popup__demo", labels.demo));
    if (props.url) {
      var link = el("a", "park-popup__link", labels.open);
      link.href = props.url;
      box.appendChild(link);
    }
    return box;
  }

  function setStatus(mapEl, text) {
    var status = document.getElementById(mapEl.id + "-status");
    if (status) status.textContent = text || "";
  }

  function addTiles(map, mapEl, config) {
    if (!config.tileUrl) {
      mapEl.classList.add("map--no-tiles");
      return;
    }
    // One missing tile is not an outage; only when tiles fail and none has
    // loaded do we say the background is unavailable (and fill the provinces).
    var loaded = 0, failed = 0;
    var tiles = L.tileLayer(config.tileUrl, {
      attribution: config.tileAttribution || "",
      maxZoom: 19,
      minZoom: 6
    });
    tiles.on("tileload", function () { loaded += 1; });
    tiles.on("tileerror", function () {
      failed += 1;
      if (loaded === 0 && failed >= 2 && !mapEl.classList.contains("map--no-tiles")) {
        mapEl.classList.add("map--no-tiles");
        setStatus(mapEl, config.labels.tilesFailed);
      }
    });
    tiles.addTo(map);
  }

  function addProvinces(map, config) {
    if (!config.provincesUrl) return;
    fetch(config.provincesUrl, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        if (!data.features || !data.features.length) return;
        L.geoJSON(data, {
          pane: "provinces",
          interactive: false,
          style: { className: "province-outline", color: "#5d6b63", weight: 1, opacity: 0.8, fill: false }
        }).addTo(map);
      })
      .catch(function () { /* outlines are a nicety; the parks still draw */ });
  }

  function drawParks(map, mapEl, config, data) {
    var colours = roleColours();
    var features = (data && data.features) || [];
    var group = L.featureGroup();
    var markers = L.layerGroup();

    function colourOf(feature) {
      return colours[feature.properties.role] || colours.none;
    }

    var outlines = L.geoJSON(data, {
      style: function (feature) {
        var c = colourOf(feature);
        return {
          className: "park park--" + feature.properties.role,
          color: c, weight: 2, opacity: 1, fillColor: c, fillOpacity: 0.45
        };
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(function () { return popupContent(feature.properties, config.labels); });
        layer.bindTooltip(textTooltip(feature.properties.name), { sticky: true, direction: "top" });
        outOfTabOrder(layer);
      }
    });
    outlines.addTo(group);

    if (config.markers) {
      features.forEach(function (feature) {
        var p = feature.properties.point;
        if (!p) return;
        var c = colourOf(feature);
        var marker = L.circleMarker([p[1], p[0]], {
          pane: "parkMarkers",
          className: "park-marker park-marker--" + feature.properties.role,
          radius: 7, color: "#ffffff", weight: 1.5, opacity: 1, fillColor: c, fillOpacity: 1
        });
        marker.bindPopup(function () { return popupContent(feature.properties, config.labels); });
        marker.bindTooltip(textTooltip(feature.properties.name), { direction: "top" });
        outOfTabOrder(marker);
        marker.addTo(markers);
      });
      var syncMarkers = function () {
        if (map.getZoom() <= MARKER_MAX_ZOOM) markers.addTo(map);
        else markers.remove();
      };
      map.on("zoomend", syncMarkers);
      syncMarkers();
    }
    group.addTo(map);

    if (features.length) {
      map.fitBounds(group.getBounds(), { padding: [40, 40], maxZoom: config.maxZoom || 15, animate: false });
    } else {
      setStatus(mapEl, config.labels.noFeatures);
    }
    mapEl.dataset.featureCount = String(features.length);
    mapEl.dataset.state = "ready";
  }

  function init(mapEl) {
    var configNode = document.getElementById(mapEl.dataset.mapConfig);
    if (!configNode) return;
    var config = JSON.parse(configNode.textContent);
    var map = L.map(mapEl, {
      center: NL_CENTRE,
      zoom: NL_ZOOM,
      zoomSnap: 0.25,
      scrollWheelZoom: !!config.scrollWheelZoom,
      keyboard: true
    });
    oneTabStop(map);
    L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
    map.createPane("provinces").style.zIndex = 250; // above tiles, below parks
    map.createPane("parkMarkers").style.zIndex = 450; // dots above the park outlines
    addTiles(map, mapEl, config);
    addProvinces(map, config);

    if (config.features) {
      drawParks(map, mapEl, config, config.features);
    } else if (config.geojsonUrl) {
      mapEl.dataset.state = "loading";
      fetch(config.geojsonUrl, { headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) { drawParks(map, mapEl, config, data); })
        .catch(function () {
          mapEl.dataset.state = "error";
          setStatus(mapEl, config.labels.loadFailed);
        });
    }
  }

  function start() {
    if (typeof L === "undefined") return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-swarm-map]"), init);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
