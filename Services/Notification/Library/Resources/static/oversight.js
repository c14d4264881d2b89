// Opt-in auto-refresh of the worklist (a meta refresh would disturb screen readers); the page works without it.
const box = document.getElementById("autorefresh");
if (box) {
  box.parentElement.hidden = false;
  box.checked = localStorage.getItem("vigil.autorefresh") === "1";
  box.addEventListener("change", () => localStorage.setItem("vigil.autorefresh", box.checked ? "1" : "0"));
  setInterval(() => { if (box.checked) location.reload(); }, 60000);
}
