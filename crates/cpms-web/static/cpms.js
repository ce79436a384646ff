// ERN-CPMS progressive enhancement. Every flow works without this file;
// it only saves clicks. Loaded as a module from the same origin (CSP
// forbids inline script).

document.documentElement.classList.add("js");

// The ERN switcher submits as soon as another network is picked.
for (const select of document.querySelectorAll(".ern-switch select")) {
  select.addEventListener("change", () => select.form.requestSubmit());
}

// Type-ahead for coded fields: suggestions from /api/v1/terminology as the
// user types; picking one fills the code. Without script the field takes a
// typed code, which the server checks.
for (const input of document.querySelectorAll("input[data-typeahead]")) {
  const list = input.parentElement.querySelector(".suggestions");
  let pending = 0;
  const close = () => { list.hidden = true; list.replaceChildren(); };
  input.addEventListener("input", async () => {
    const q = input.value.trim();
    if (q.length < 2) { close(); return; }
    const ticket = ++pending;
    const url = `/api/v1/terminology?kind=${input.dataset.typeahead}&q=${encodeURIComponent(q)}`;
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok || ticket !== pending) return;
    const terms = await response.json();
    list.replaceChildren(...terms.map((term) => {
      const item = document.createElement("li");
      item.setAttribute("role", "option");
      item.dataset.code = term.code;
      const code = document.createElement("code");
      code.textContent = term.code;
      item.append(code, ` ${term.name}`);
      if (term.parents.length) {
        const parents = document.createElement("small");
        parents.textContent = `in ${term.parents.join(", ")}`;
        item.append(parents);
      }
      item.addEventListener("mousedown", (event) => {
        event.preventDefault();
        input.value = term.code;
        close();
      });
      return item;
    }));
    list.hidden = terms.length === 0;
  });
  input.addEventListener("blur", close);
}
