// The product page's option picker: one choice per option group picks the SKU in the form's <select>.
// A value is disabled (품절) when no SKU in stock has it together with the values already chosen; the price
// shown follows the chosen SKU. Without this script the <select> alone still works. No inline script: CSP.
(function () {
  "use strict";

  function setUp(picker) {
    var form = picker.closest("form");
    var select = form.querySelector("select[name=sku_id]");
    var priceOut = form.querySelector("[data-sku-price]");
    var skus = JSON.parse(document.getElementById(picker.dataset.skuData).textContent);
    var groups = Array.prototype.slice.call(picker.querySelectorAll("fieldset[data-option]"));

    function chosen(except) {
      var values = [];
      groups.forEach(function (group) {
        if (group === except) return;
        var checked = group.querySelector("input:checked");
        if (checked) values.push(Number(checked.value));
      });
      return values;
    }

    function buyable(values) {
      return skus.some(function (sku) {
        return sku.available > 0 && values.every(function (v) { return sku.values.indexOf(v) >= 0; });
      });
    }

    function refresh() {
      groups.forEach(function (group) {
        var others = chosen(group);
        group.querySelectorAll("input").forEach(function (input) {
          var ok = buyable(others.concat([Number(input.value)]));
          input.disabled = !ok;
          input.closest("label").classList.toggle("sold-out", !ok);
          if (!ok && input.checked) input.checked = false;
        });
      });
      var values = chosen(null);
      var match = values.length === groups.length && skus.filter(function (sku) {
        return values.every(function (v) { return sku.values.indexOf(v) >= 0; });
      })[0];
      select.value = match ? String(match.id) : "";
      if (priceOut) priceOut.textContent = match ? match.price_display : priceOut.dataset.skuPriceDefault;
    }

    picker.addEventListener("change", refresh);
    select.closest("label").hidden = true;
    picker.hidden = false;
    refresh();
  }

  document.querySelectorAll("[data-sku-picker]").forEach(setUp);
})();
