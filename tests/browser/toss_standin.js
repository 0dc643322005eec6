// A stand-in for Toss's widget script (https://js.tosspayments.com/v2/standard), served by Playwright's request
// routing so the browser test runs offline. It offers the same calls the order page makes (TossPayments(key)
// .widgets({customerKey}), setAmount, renderPaymentMethods, renderAgreement, requestPayment) and, like Toss,
// sends the browser to successUrl with paymentType, orderId, paymentKey and amount once the "customer" has
// authenticated: the test's route for /_standin/authenticate asks the local Toss fake for a paymentKey.
window.TossPayments = function (clientKey) {
  return {
    widgets: function (options) {
      var amount = null;
      return {
        setAmount: function (value) { amount = value; return Promise.resolve(); },
        renderPaymentMethods: function (o) {
          document.querySelector(o.selector).innerHTML =
            '<label class="standin-method"><input type="radio" name="standin-method" checked> 신용·체크카드</label>';
          return Promise.resolve();
        },
        renderAgreement: function (o) {
          document.querySelector(o.selector).innerHTML = '<p class="standin-agreement">[필수] 결제 서비스 이용 약관 동의</p>';
          return Promise.resolve();
        },
        requestPayment: function (p) {
          var body = JSON.stringify({
            clientKey: clientKey, customerKey: options.customerKey, amount: amount.value, orderId: p.orderId,
            orderName: p.orderName, customerEmail: p.customerEmail, successUrl: p.successUrl, failUrl: p.failUrl,
          });
          return fetch("https://api.tosspayments.com/_standin/authenticate", { method: "POST", body: body })
            .then(function (response) { return response.json(); })
            .then(function (answer) {
              var url = new URL(p.successUrl);
              url.searchParams.set("paymentType", "NORMAL");
              url.searchParams.set("orderId", p.orderId);
              url.searchParams.set("paymentKey", answer.paymentKey);
              url.searchParams.set("amount", String(amount.value));
              window.location.href = url.toString();
            });
        },
      };
    },
  };
};
