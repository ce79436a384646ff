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

// Passkeys: forms marked data-passkey carry the server's WebAuthn options;
// on submit the browser ceremony runs and its answer goes into the hidden
// `response` field. Binary fields travel as base64url both ways.
const fromB64u = (text) => {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
};
const toB64u = (buffer) =>
  btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const withIds = (list) => (list || []).map((c) => ({ ...c, id: fromB64u(c.id) }));

async function createPasskey(options) {
  const publicKey = options.publicKey;
  publicKey.challenge = fromB64u(publicKey.challenge);
  publicKey.user.id = fromB64u(publicKey.user.id);
  publicKey.excludeCredentials = withIds(publicKey.excludeCredentials);
  const credential = await navigator.credentials.create({ publicKey });
  return {
    id: credential.id,
    rawId: toB64u(credential.rawId),
    type: credential.type,
    response: {
      attestationObject: toB64u(credential.response.attestationObject),
      clientDataJSON: toB64u(credential.response.clientDataJSON),
      transports: credential.response.getTransports ? credential.response.getTransports() : [],
    },
    extensions: {},
  };
}

async function usePasskey(options) {
  const publicKey = options.publicKey;
  publicKey.challenge = fromB64u(publicKey.challenge);
  publicKey.allowCredentials = withIds(publicKey.allowCredentials);
  const credential = await navigator.credentials.get({ publicKey });
  const r = credential.response;
  return {
    id: credential.id,
    rawId: toB64u(credential.rawId),
    type: credential.type,
    response: {
      authenticatorData: toB64u(r.authenticatorData),
      clientDataJSON: toB64u(r.clientDataJSON),
      signature: toB64u(r.signature),
      userHandle: r.userHandle ? toB64u(r.userHandle) : null,
    },
    extensions: {},
  };
}

for (const form of document.querySelectorAll("form[data-passkey]")) {
  form.addEventListener("submit", async (event) => {
    const field = form.elements.response;
    if (field.value) return;
    event.preventDefault();
    const options = JSON.parse(form.dataset.options);
    try {
      const answer = form.dataset.passkey === "create" ? await createPasskey(options) : await usePasskey(options);
      field.value = JSON.stringify(answer);
    } catch (error) {
      // Cancelled or refused by the authenticator: the server says so and
      // offers a new challenge.
      field.value = JSON.stringify({ error: String(error) });
    }
    form.submit();
  });
}
