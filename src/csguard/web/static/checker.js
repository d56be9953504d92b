// Progressive enhancement of the live checker: submit without reloading the page.
// The server renders (and escapes) the result fragment; this only swaps it in.
(function () {
  "use strict";
  var form = document.getElementById("checker-form");
  var target = document.getElementById("checker-result");
  if (!form || !target || !window.fetch) { return; }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.redirected || response.status === 401 || response.status === 403) {
        window.location.reload();
        return null;
      }
      return response.text();
    }).then(function (html) {
      if (html !== null) { target.innerHTML = html; }
    }).catch(function () {
      form.submit();
    });
  });
})();
