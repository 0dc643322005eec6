// 우편번호 찾기: the Daum (Kakao) postcode service fills the postal code and road address of a shipping address form.
// The button is hidden in the HTML and shown only once Daum's script has loaded; blocked or offline, the customer
// types the address by hand and the server validates it the same way.
// Markup (accounts/includes/postcode.html): <button data-postcode-search data-postal-field="#id_postal_code"
// data-address-field="#id_address" data-detail-field="#id_detail" hidden>, inside the address form.
(function () {
  "use strict";

  function connect(button) {
    var scope = button.closest("form") || document;
    var postal = scope.querySelector(button.dataset.postalField);
    var address = scope.querySelector(button.dataset.addressField);
    var detail = button.dataset.detailField ? scope.querySelector(button.dataset.detailField) : null;
    if (!postal || !address) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      new window.daum.Postcode({
        oncomplete: function (data) {
          postal.value = data.zonecode;
          address.value = data.roadAddress || data.address || data.jibunAddress;
          postal.dispatchEvent(new Event("change", { bubbles: true }));
          address.dispatchEvent(new Event("change", { bubbles: true }));
          if (detail) {
            detail.focus();
          }
        },
      }).open();
    });
  }

  function start() {
    if (!window.daum || typeof window.daum.Postcode !== "function") {
      return;
    }
    document.querySelectorAll("[data-postcode-search]").forEach(connect);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
