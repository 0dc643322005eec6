// Toss Payments widget (SDK v2) on the order page. Everything it needs comes from #toss-checkout's data
// attributes, which the server fills: the amount is the order's total, never something the page computes.
(function () {
  "use strict";
  var box = document.getElementById("toss-checkout");
  if (!box) return;
  var d = box.dataset;
  var button = document.getElementById("pay-button");
  var error = box.querySelector(".toss-error");

  function fail(reason) {
    if (error) error.hidden = false;
    if (window.console) console.error("Toss widget:", reason);
  }

  if (typeof window.TossPayments !== "function") {
    fail("the SDK did not load");
    return;
  }
  var widgets = window.TossPayments(d.clientKey).widgets({ customerKey: d.customerKey });
  widgets
    .setAmount({ currency: "KRW", value: Number(d.amount) })
    .then(function () {
      return Promise.all([
        widgets.renderPaymentMethods({ selector: "#payment-method", variantKey: "DEFAULT" }),
        widgets.renderAgreement({ selector: "#agreement", variantKey: "AGREEMENT" }),
      ]);
    })
    .then(function () {
      button.disabled = false;
    })
    .catch(fail);

  button.addEventListener("click", function () {
    button.disabled = true;
    widgets
      .requestPayment({
        orderId: d.orderId,
        orderName: d.orderName,
        successUrl: d.successUrl,
        failUrl: d.failUrl,
        customerEmail: d.customerEmail,
        customerName: d.customerName,
      })
      .catch(function (reason) {
        button.disabled = false;
        fail(reason);
      });
  });
})();
