/* madoguchi: the few behaviours the pages need, without inline scripts (Content-Security-Policy).
 *  <form data-confirm="…">                 asks before submitting
 *  <button data-fill-target="id" data-fill-value="…">  puts a value into the field with that id
 *  <input data-complete-length="4">         fires a "complete" event once the value has that many characters
 */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target.closest ? event.target.closest("form[data-confirm]") : null;
    if (form && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-fill-target]") : null;
    if (!button) { return; }
    var field = document.getElementById(button.getAttribute("data-fill-target"));
    if (field) {
      field.value = button.getAttribute("data-fill-value");
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
  document.addEventListener("input", function (event) {
    var input = event.target;
    var wanted = input && input.getAttribute ? input.getAttribute("data-complete-length") : null;
    if (wanted && input.value.length >= parseInt(wanted, 10)) {
      input.dispatchEvent(new CustomEvent("complete", { bubbles: false }));
    }
  });
})();
