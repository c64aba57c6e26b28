// After django-otp-webauthn's script registers a passkey (its event bubbles up from the button),
// go on where the enrolment page was heading: the session is verified now.
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function () {
    var box = document.querySelector("[data-passkey-done]");
    window.location.assign((box && box.getAttribute("data-passkey-done")) || "/petugas/");
  });
})();
