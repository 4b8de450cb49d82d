// Quick exit (button, or Shift pressed three times) and the idle-session warning.
// Works alongside the plain link: without JavaScript the button is still a link to /exit/.
(function () {
  "use strict";
  var exitLink = document.getElementById("quick-exit");
  var exitUrl = exitLink ? exitLink.getAttribute("data-exit-url") : "/exit/";

  function leave() {
    // replace() keeps this page out of the Back button's history.
    window.location.replace(exitUrl);
  }

  if (exitLink) {
    exitLink.addEventListener("click", function (event) {
      event.preventDefault();
      leave();
    });
  }

  var shiftPresses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) {
      if (event.key !== "Shift") { shiftPresses = []; }
      return;
    }
    var now = Date.now();
    shiftPresses = shiftPresses.filter(function (t) { return now - t < 1500; });
    shiftPresses.push(now);
    if (shiftPresses.length >= 3) { leave(); }
  });

  var body = document.body;
  var idleSeconds = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  if (!idleSeconds) { return; }
  var warningSeconds = parseInt(body.getAttribute("data-warning-seconds") || "120", 10);
  var statusUrl = body.getAttribute("data-status-url");
  var timeoutUrl = body.getAttribute("data-timeout-url");
  var dialog = document.getElementById("idle-warning");
  var stay = document.getElementById("idle-stay");
  var lastActivity = Date.now();
  var ticks = 0;

  function check() {
    var idle = (Date.now() - lastActivity) / 1000;
    if (idle >= idleSeconds) {
      window.location.replace(timeoutUrl);
      return;
    }
    if (dialog && idle >= idleSeconds - warningSeconds && dialog.hidden) {
      dialog.hidden = false;
      if (stay) { stay.focus(); }
    }
    // A passive poll: the server ends sessions on its own clock and this never extends one.
    ticks += 1;
    if (statusUrl && ticks % 4 === 0) {
      fetch(statusUrl, {headers: {"X-Passive-Request": "1"}, credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) { if (!data.active) { window.location.replace(timeoutUrl); } })
        .catch(function () {});
    }
  }

  if (stay) {
    stay.addEventListener("click", function () {
      // A real request, so the server counts this as activity.
      fetch(statusUrl, {credentials: "same-origin"}).finally(function () {
        lastActivity = Date.now();
        dialog.hidden = true;
      });
    });
  }
  // Check often enough to warn on time even when the warning period is short.
  window.setInterval(check, Math.max(1000, Math.min(15000, warningSeconds * 250)));
})();
