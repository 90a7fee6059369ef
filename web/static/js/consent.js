// The consent form answers 400 (field errors) or 409 (changed meanwhile) with the section to show; htmx does
// not swap error responses by default, so let these through when they carry the section.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr;
    if ((xhr.status === 400 || xhr.status === 409) && evt.detail.target && evt.detail.target.id === "consent-section" &&
        xhr.responseText.indexOf('id="consent-section"') !== -1) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });
})();
