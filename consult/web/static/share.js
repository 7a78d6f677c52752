// The "share responses" view: a countdown for the group speaking.
(function () {
  "use strict";
  var el = document.getElementById("timer");
  var left = parseInt(el.dataset.seconds, 10);
  function tick() {
    var m = Math.floor(left / 60), s = left % 60;
    el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    if (left === 0) { el.classList.add("done"); return; }
    left -= 1;
    setTimeout(tick, 1000);
  }
  tick();
})();
