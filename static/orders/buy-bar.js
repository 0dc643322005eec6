// The product page's buy bar is fixed to the bottom of a phone's screen, and the page keeps room for it (shop.css).
// Its height changes with the option picker and the screen's width, so this keeps --buy-bar-height equal to it.
// No inline script: CSP.
(function () {
  "use strict";

  var bar = document.querySelector(".product-page form.purchase");
  if (!bar || !("ResizeObserver" in window)) return;
  new ResizeObserver(function () {
    var height = Math.ceil(bar.getBoundingClientRect().height);
    document.documentElement.style.setProperty("--buy-bar-height", height + "px");
  }).observe(bar, { box: "border-box" });
})();
