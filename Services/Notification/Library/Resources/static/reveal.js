// The identity reveal (design §7 "No PHI in notify"): the page carries a short-lived grant from deid; this asks
// deid directly, so the identity goes deid → browser and never through notify. Nothing is stored.
// A block of its own: classic scripts share one global scope, and oversight.js has a `box` too.
{
  const box = document.getElementById("reveal");
  if (box) {
    const status = document.getElementById("reveal-status");
    const list = document.getElementById("identity");
    const grant = box.dataset.grant;
    // The grant is used once: take it off the DOM, and make a reload show the plain alert page.
    box.removeAttribute("data-grant");
    history.replaceState(null, "", location.pathname.replace(/\/reveal$/, ""));
    const add = (term, value) => {
      if (!value) return;
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.textContent = value;
      list.append(dt, dd);
    };
    fetch(box.dataset.reidUrl + "/reid/reveal", {
      method: "POST",
      headers: { Authorization: "Grant " + grant, "Content-Type": "application/json" },
      body: JSON.stringify({ pseudonym: box.dataset.pseudonym, reason: box.dataset.reason }),
      credentials: "omit",
      cache: "no-store",
    })
      .then(async (response) => {
        const body = await response.json().catch(() => ({}));
        if (!response.ok) throw new Error(body.detail || "HTTP " + response.status);
        for (const name of body.names || []) {
          add("Name", [name.prefix, ...(name.given || []), name.family, name.suffix].filter(Boolean).join(" "));
        }
        add("Patient ID", body.patientID && body.patientID + " (" + body.assigningAuthority + ")");
        add("Birth date", typeof body.birthDate === "string" ? body.birthDate : "");
        add("Sex", typeof body.sex === "string" ? body.sex : "");
        status.textContent = "Identity revealed by the re-identification service. This use is audited.";
      })
      .catch((error) => {
        status.textContent = "The identity could not be revealed: " + error.message;
      });
  }
}
