// The helpdesk agent's pages: Ctrl+Enter (Cmd+Enter on a Mac) sends the reply box, a canned reply
// fills it (the texts come filled in from the server, in a JSON data block), and one box ticks every
// ticket of the queue's page for a bulk action.
(function () {
  "use strict";

  document.querySelectorAll("form[data-submit-on-ctrl-enter]").forEach(function (form) {
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.tagName === "TEXTAREA") {
        event.preventDefault();
        if (typeof form.requestSubmit === "function") {
          form.requestSubmit();
        } else {
          form.submit();
        }
      }
    });
  });

  document.querySelectorAll("select[data-canned-source]").forEach(function (select) {
    var source = document.getElementById(select.dataset.cannedSource);
    var target = document.getElementById(select.dataset.cannedTarget);
    if (!source || !target) {
      return;
    }
    var texts = JSON.parse(source.textContent);
    select.addEventListener("change", function () {
      if (Object.prototype.hasOwnProperty.call(texts, select.value)) {
        target.value = texts[select.value];
        target.focus();
      }
    });
  });

  document.querySelectorAll("input[data-bulk-all]").forEach(function (all) {
    var form = all.closest("form");
    all.addEventListener("change", function () {
      form.querySelectorAll("input[type='checkbox'][name='ids']").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
})();
