// The IP diagnostic's steps: hide the questions that an answer above them makes irrelevant, and keep
// "None of these" apart from the other ticks. The server does the same checks: this only saves clicks.
(function () {
  "use strict";

  function parseConditions(text) {
    return text.split(";").filter(Boolean).map(function (part) {
      var pieces = part.split(":");
      return { question: pieces[0], values: (pieces[1] || "").split(",") };
    });
  }

  function chosen(form, question) {
    return Array.prototype.map.call(
      form.querySelectorAll('input[name="' + question + '"]:checked'),
      function (input) { return input.value; }
    );
  }

  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (fieldset) {
      var shown = parseConditions(fieldset.dataset.showIf).every(function (condition) {
        return chosen(form, condition.question).some(function (value) {
          return condition.values.indexOf(value) !== -1;
        });
      });
      fieldset.hidden = !shown;
      fieldset.disabled = !shown;
    });
  }

  function keepExclusive(input) {
    if (input.type !== "checkbox" || !input.checked) {
      return;
    }
    var group = input.form.querySelectorAll('input[type="checkbox"][name="' + input.name + '"]');
    group.forEach(function (other) {
      if (other !== input && (input.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive"))) {
        other.checked = false;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("diagnostic-form");
    if (!form) {
      return;
    }
    form.querySelectorAll(".diagnostic-conditional-note").forEach(function (note) {
      note.hidden = true;
    });
    form.addEventListener("change", function (event) {
      keepExclusive(event.target);
      update(form);
    });
    update(form);
  });
})();
