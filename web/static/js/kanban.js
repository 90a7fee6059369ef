/* The deal board: drag a card to another column (HTML5 drag events with a mouse, pointer events on touch
   screens), or use the card's "Move to…" form (keyboard, phones, no JavaScript). A move is POSTed with the
   CSRF header and the card's version; the server answers with the card and the two column headers, which
   are swapped in by id. A refused move (version conflict, permission) puts the card back and says why. */
(function () {
  "use strict";
  var board = document.getElementById("kanban");
  if (!board) { return; }
  var status = document.getElementById("kanban-status");
  var dragged = null;

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["x-csrftoken"] || ""; }
    catch (e) { return ""; }
  }

  function announce(text, failed) {
    status.textContent = text;
    status.classList.toggle("kanban-status-error", !!failed);
  }

  function swapIn(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    holder.content.querySelectorAll("[id]").forEach(function (fresh) {
      var old = document.getElementById(fresh.id);
      if (old && (fresh.tagName === "LI" || fresh.tagName === "HEADER")) { old.replaceWith(fresh); }
    });
    var message = holder.content.querySelector("[data-move-message]");
    return message ? message.textContent : "";
  }

  function move(card, list) {
    var from = card.parentElement, next = card.nextSibling;
    var stageId = list.getAttribute("data-stage-id");
    if (stageId === card.getAttribute("data-stage-id")) { return; }
    list.insertBefore(card, list.querySelector(".kanban-more"));
    var form = card.querySelector("form.kanban-move");
    var body = new URLSearchParams();
    body.set("stage_id", stageId);
    body.set("version", card.getAttribute("data-version"));
    body.set("from_stage_id", card.getAttribute("data-stage-id"));
    fetch(form.getAttribute("action"), {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "HX-Request": "true", "x-csrftoken": csrfToken() }
    }).then(function (response) {
      return response.text().then(function (text) {
        if (!response.ok) { throw new Error(text); }
        var said = swapIn(text);
        announce(said, false);
        var moved = document.getElementById(card.id);
        if (moved) { moved.focus(); }
      });
    }).catch(function (error) {
      from.insertBefore(card, next);  // put it back where it was
      announce(error.message || "", true);
    });
  }

  function listAt(x, y) {
    var element = document.elementFromPoint(x, y);
    var column = element && element.closest(".kanban-column");
    return column ? column.querySelector(".kanban-cards") : null;
  }

  // Mouse: HTML5 drag and drop.
  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".kanban-card");
    if (!card) { return; }
    dragged = card;
    card.classList.add("kanban-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
  });
  board.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("kanban-dragging"); }
    dragged = null;
  });
  board.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest(".kanban-column")) { event.preventDefault(); }
  });
  board.addEventListener("drop", function (event) {
    var column = event.target.closest(".kanban-column");
    if (!dragged || !column) { return; }
    event.preventDefault();
    move(dragged, column.querySelector(".kanban-cards"));
  });

  // Touch and pen: pointer events (HTML5 drag events do not fire for touch in most browsers).
  var touch = null;
  board.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse") { return; }
    var card = event.target.closest(".kanban-card");
    if (!card || event.target.closest("a, select, button, input, label")) { return; }
    touch = { card: card, x: event.clientX, y: event.clientY, moving: false };
  });
  board.addEventListener("pointermove", function (event) {
    if (!touch) { return; }
    if (!touch.moving && Math.abs(event.clientX - touch.x) + Math.abs(event.clientY - touch.y) > 12) {
      touch.moving = true;
      touch.card.classList.add("kanban-dragging");
    }
  });
  function endTouch(event) {
    if (!touch) { return; }
    var current = touch;
    touch = null;
    current.card.classList.remove("kanban-dragging");
    if (current.moving && event.type === "pointerup") {
      var list = listAt(event.clientX, event.clientY);
      if (list) { move(current.card, list); }
    }
  }
  board.addEventListener("pointerup", endTouch);
  board.addEventListener("pointercancel", endTouch);

  // "Move to…": with the script, the same request as a drop (the page stays, the move is announced).
  board.addEventListener("submit", function (event) {
    var form = event.target.closest("form.kanban-move");
    if (!form) { return; }
    event.preventDefault();
    var card = form.closest(".kanban-card");
    var stageId = form.querySelector("select[name=stage_id]").value;
    var list = board.querySelector('.kanban-cards[data-stage-id="' + stageId + '"]');
    if (card && list) { move(card, list); }
  });
})();
