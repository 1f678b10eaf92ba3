// Opening a helpdesk ticket: while the MSME types the subject, guidance pages that may answer it are shown
// under it. The hidden inputs record which pages were shown ("suggested") and which were opened ("read"),
// and that the suggestions were seen ("confirmed"), so the server does not ask again before sending.
(function () {
  "use strict";

  var DELAY_MS = 300;
  var MIN_CHARS = 3;

  function addSlug(input, slug) {
    var slugs = input.value ? input.value.split(",") : [];
    if (slugs.indexOf(slug) === -1) {
      slugs.push(slug);
      input.value = slugs.join(",");
    }
  }

  function setUp(form) {
    var subject = form.querySelector('input[name="subject"]');
    var language = form.querySelector('select[name="language"]');
    var box = document.getElementById("helpdesk-suggestions");
    var suggested = form.querySelector('input[name="suggested"]');
    var read = form.querySelector('input[name="read"]');
    var confirmed = form.querySelector('input[name="confirmed"]');
    if (!subject || !box || !suggested || !read || !confirmed) {
      return;
    }
    var timer = null;
    var asked = "";
    var controller = null;

    function ask() {
      var query = subject.value.trim();
      if (query.length < MIN_CHARS) {
        box.textContent = "";
        return;
      }
      var key = query + "|" + (language ? language.value : "");
      if (key === asked) {
        return;
      }
      asked = key;
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      var params = new URLSearchParams({ q: query });
      if (language) {
        params.set("language", language.value);
      }
      fetch(form.dataset.suggestUrl + "?" + params.toString(), {
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
        signal: controller.signal
      })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          // The fragment is the portal's own template output, escaped on the server.
          box.innerHTML = html;
          box.querySelectorAll("[data-suggested]").forEach(function (item) {
            addSlug(suggested, item.dataset.suggested);
          });
        })
        .catch(function () { /* a newer request replaced this one, or the network failed: keep the form usable */ });
    }

    subject.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });
    if (language) {
      language.addEventListener("change", ask);
    }
    // Opening a suggestion (click, middle click, keyboard) counts as reading it.
    ["click", "auxclick"].forEach(function (type) {
      document.addEventListener(type, function (event) {
        var link = event.target.closest ? event.target.closest("a[data-article]") : null;
        if (link) {
          addSlug(read, link.dataset.article);
        }
      });
    });
    confirmed.value = "1";
    if (subject.value) {
      ask();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("ticket-form");
    if (form) {
      setUp(form);
    }
  });
})();
