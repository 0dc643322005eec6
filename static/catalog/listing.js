// The filters start closed (a drawer on a phone); on a wide screen they are a side panel, so open them.
(function () {
  var wide = window.matchMedia("(min-width: 721px)");
  document.querySelectorAll("[data-filters]").forEach(function (details) {
    if (wide.matches) details.open = true;
  });
})();
