// Files: a progress bar for uploads sent by htmx, a size check before anything is sent, and error display.
// The server answers a refused upload (413, 415, 400) with the files section and its message; htmx leaves
// 4xx responses alone by default, so this lets those through, and shows a message for anything else.
(function () {
  "use strict";

  // htmx fires beforeSwap on the swap target (the section around the form), other events on the form itself.
  function uploadForm(evt) {
    var detail = evt.detail || {};
    var source = detail.elt || (detail.requestConfig && detail.requestConfig.elt) || evt.target;
    if (!source || !source.closest) { return null; }
    return source.closest("form.files-upload") ||
      (source.matches("#files-section") ? source.querySelector("form.files-upload") : null);
  }

  function showError(form, message) {
    var bar = form.querySelector(".upload-progress");
    var error = form.querySelector(".upload-error");
    if (bar) { bar.hidden = true; }
    if (error) { error.textContent = message || ""; error.hidden = !message; }
  }

  function tooLarge(form) {
    var input = form.querySelector('input[type="file"]');
    var limit = parseInt(form.dataset.maxBytes || "0", 10);
    var chosen = input && input.files && input.files[0];
    return Boolean(chosen && limit && chosen.size > limit);
  }

  // Plain forms (a new version on the file page): refuse an oversized file before uploading it.
  document.addEventListener("submit", function (evt) {
    var form = uploadForm(evt);
    if (form && tooLarge(form)) {
      evt.preventDefault();
      showError(form, form.dataset.tooLarge);
    }
  });

  document.addEventListener("htmx:beforeRequest", function (evt) {
    var form = uploadForm(evt);
    if (!form) { return; }
    if (tooLarge(form)) {
      evt.preventDefault();
      showError(form, form.dataset.tooLarge);
      return;
    }
    showError(form, "");
    var bar = form.querySelector(".upload-progress");
    if (bar) { bar.value = 0; bar.hidden = false; }
  });

  document.addEventListener("htmx:xhr:progress", function (evt) {
    var form = uploadForm(evt);
    var bar = form && form.querySelector(".upload-progress");
    if (bar && evt.detail.lengthComputable && evt.detail.total > 0) {
      bar.value = Math.round((evt.detail.loaded * 100) / evt.detail.total);
    }
  });

  document.addEventListener("htmx:beforeSwap", function (evt) {
    var form = uploadForm(evt);
    var xhr = evt.detail.xhr;
    if (!form || xhr.status < 400) { return; }
    if (xhr.responseText.indexOf('id="files-section"') !== -1) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    } else {
      showError(form, xhr.status === 413 ? form.dataset.tooLarge : form.dataset.failed);
    }
  });

  document.addEventListener("htmx:sendError", function (evt) {
    var form = uploadForm(evt);
    if (form) { showError(form, form.dataset.failed); }
  });
})();
