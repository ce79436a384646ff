// ERN-CPMS progressive enhancement. Every flow works without this file;
// it only saves clicks. Loaded as a module from the same origin (CSP
// forbids inline script).

document.documentElement.classList.add("js");

// The ERN switcher submits as soon as another network is picked.
for (const select of document.querySelectorAll(".ern-switch select")) {
  select.addEventListener("change", () => select.form.requestSubmit());
}
