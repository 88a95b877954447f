// The check-in page: a member code typed or read by a USB scanner (it types and presses Enter) is
// posted by htmx, and the server answers with one line of outcome that htmx puts on top of the list.
// Cards read by the phone's camera (jsQR) are queued and sent together every moment (a busy door sends
// one request, not one per card, and a scan survives a dropped connection); one line per card comes back.
(function () {
  "use strict";
  const form = document.getElementById("uh-checkin-form");
  if (!form) return;
  const input = form.querySelector("input[name=member_code]");
  const method = form.querySelector("input[name=method]");
  const button = document.getElementById("uh-scan");
  const video = document.getElementById("uh-scan-video");
  const canvas = document.getElementById("uh-scan-canvas");
  const error = document.getElementById("uh-scan-error");
  const REPEAT_MS = 3000; // the same card held in front of the camera is posted once
  const FLUSH_MS = 700; // scans are queued and sent together: a busy door sends one request a moment, not one a card
  const results = document.getElementById("uh-checkin-results");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  let stream = null;
  let last = { code: "", at: 0 };
  let queue = [];
  let sending = false;

  // Send the queued scans; scans that could not be sent (no network) stay queued for the next round.
  function flush() {
    if (sending || queue.length === 0) return;
    const batch = queue.slice(0, 100);
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrf.value);
    body.append("method", "qr");
    batch.forEach(function (code) { body.append("codes", code); });
    sending = true;
    fetch(button.dataset.batchUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        // Answered: the scans are done with, whatever the answer (a refusal is not retried).
        queue = queue.slice(batch.length);
        return response.ok ? response.text() : "";
      })
      .then(function (html) { results.insertAdjacentHTML("afterbegin", html); })
      .catch(function () { /* kept in the queue; tried again on the next round */ })
      .finally(function () { sending = false; });
  }
  window.setInterval(flush, FLUSH_MS);

  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt !== form) return;
    input.value = "";
    method.value = "code";
    if (!stream) input.focus();
  });

  function stop() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.hidden = true;
    button.querySelector("span").textContent = button.dataset.labelStart;
  }

  function tick() {
    if (!stream) return;
    if (video.readyState === video.HAVE_ENOUGH_DATA && typeof window.jsQR === "function") {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      const now = Date.now();
      if (found && found.data && (found.data !== last.code || now - last.at > REPEAT_MS)) {
        last = { code: found.data, at: now };
        queue.push(found.data.trim());
      }
    }
    window.requestAnimationFrame(tick);
  }

  button.dataset.labelStart = button.querySelector("span").textContent;
  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    error.hidden = true;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      error.textContent = error.dataset.message;
      error.hidden = false;
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      button.querySelector("span").textContent = button.dataset.labelStop;
      video.play();
      window.requestAnimationFrame(tick);
    }).catch(function () {
      error.textContent = error.dataset.message;
      error.hidden = false;
    });
  });

  const guest = document.getElementById("uh-guest-form");
  if (guest) {
    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.elt === guest && event.detail.successful) guest.reset();
    });
  }
})();
