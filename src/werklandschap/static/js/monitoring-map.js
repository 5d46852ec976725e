/*
 * The map of a monitoring dashboard: the area's parks coloured by one scan
 * indicator (quintile classes computed by the server, see monitoring/maps.py).
 *
 * Reads its configuration from <script type="application/json"> named by the
 * map element's data-map-config; park names reach the page only through
 * textContent (never as HTML). No inline style: colours are SVG attributes
 * set by Leaflet, the legend's swatches are CSS classes.
 */
(function () {
  "use strict";

  // ColorBrewer "Blues", 5 classes; the same colours as monitoring.css's legend swatches.
  var COLOURS = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
  var NO_VALUE = "#d9d9d9";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function colour(props) {
    return props["class"] === null || props["class"] === undefined ? NO_VALUE : COLOURS[props["class"]];
  }

  function popup(props, labels) {
    var box = el("div", "park-popup");
    box.appendChild(el("h3", "park-popup__name", props.name));
    box.appendChild(el("p", null, props.text));
    if (props.url) {
      var link = el("a", "park-popup__link", labels.open);
      link.href = props.url;
      box.appendChild(link);
    }
    return box;
  }

  function legend(data, labels) {
    var list = document.getElementById("monitor-map-legend");
    if (!list) return;
    list.textContent = "";
    var unit = data.indicator ? data.indicator.unit : "";
    (data.legend || []).forEach(function (item) {
      var li = el("li");
      li.appendChild(el("span", "monitor-legend__swatch monitor-legend__swatch--" + item["class"]));
      li.appendChild(document.createTextNode(item.text + " " + unit));
      list.appendChild(li);
    });
    var none = el("li");
    none.appendChild(el("span", "monitor-legend__swatch monitor-legend__swatch--none"));
    none.appendChild(document.createTextNode(labels.noValue));
    list.appendChild(none);
  }

  function status(text) {
    var node = document.getElementById("monitor-map-status");
    if (node) node.textContent = text || "";
  }

  function draw(map, mapEl, config, data) {
    var group = L.featureGroup();
    L.geoJSON(data, {
      style: function (feature) {
        var c = colour(feature.properties);
        return { color: "#1b1f1d", weight: 1, opacity: 0.8, fillColor: c, fillOpacity: 0.85 };
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(function () { return popup(feature.properties, config.labels); });
      }
    }).addTo(group);
    (data.features || []).forEach(function (feature) {
      var p = feature.properties.point;
      if (!p) return;
      var marker = L.circleMarker([p[1], p[0]], {
        radius: 5, color: "#1b1f1d", weight: 1, fillColor: colour(feature.properties), fillOpacity: 1
      });
      marker.bindPopup(function () { return popup(feature.properties, config.labels); });
      marker.addTo(group);
    });
    group.addTo(map);
    if (data.features && data.features.length) {
      map.fitBounds(group.getBounds(), { padding: [20, 20], maxZoom: 13, animate: false });
    } else {
      status(config.labels.noFeatures);
    }
    legend(data, config.labels);
    mapEl.dataset.featureCount = String((data.features || []).length);
    mapEl.dataset.state = "ready";
  }

  function init(mapEl) {
    var node = document.getElementById(mapEl.dataset.mapConfig);
    if (!node) return;
    var config = JSON.parse(node.textContent);
    var map = L.map(mapEl, { center: [52.15, 5.3], zoom: 7, scrollWheelZoom: false });
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { attribution: config.tileAttribution || "", maxZoom: 19 }).addTo(map);
    }
    mapEl.dataset.state = "loading";
    fetch(config.geojsonUrl, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) { draw(map, mapEl, config, data); })
      .catch(function () {
        mapEl.dataset.state = "error";
        status(config.labels.loadFailed);
      });
  }

  function start() {
    if (typeof L === "undefined") return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-monitor-map]"), init);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
