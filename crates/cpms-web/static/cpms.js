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
        // A row with a label field (the outcome's diagnoses) takes the name too.
        const label = input.dataset.label && document.getElementById(input.dataset.label);
        if (label) label.value = term.name;
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

// Live notifications: signed-in pages open a Server-Sent Events stream
// that sends the unread count and the newest notifications whenever they
// change; the bell (and an open notification centre) follow without a
// reload. Without script the bell shows the count of the page load.
const showUnread = (unread) => {
  const count = document.querySelector("[data-unread-count]");
  if (count) {
    count.textContent = String(unread);
    count.hidden = unread === 0;
  }
  document.querySelector("[data-unread-label]")?.setAttribute("aria-label", `Notifications, ${unread} unread`);
  const centre = document.getElementById("centre-unread");
  if (centre) centre.textContent = String(unread);
};

const notificationItem = (item, csrf) => {
  const li = document.createElement("li");
  li.className = "notification unread";
  li.id = `notification-${item.id}`;
  li.dataset.id = item.id;
  const body = document.createElement("div");
  body.className = "body";
  if (item.urgent) {
    const badge = document.createElement("span");
    badge.className = "badge-urgent";
    badge.textContent = "URGENT";
    body.append(badge, " ");
  }
  const link = document.createElement("a");
  link.className = "title";
  link.href = item.link;
  link.textContent = item.headline;
  body.append(link);
  if (item.text) {
    const text = document.createElement("p");
    text.textContent = item.text;
    body.append(text);
  }
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.textContent = `${item.kind} · ${item.created_at}`;
  body.append(meta);
  const form = document.createElement("form");
  form.method = "post";
  form.action = `/notifications/${item.id}/read`;
  const token = document.createElement("input");
  token.type = "hidden";
  token.name = "csrf";
  token.value = csrf;
  const button = document.createElement("button");
  button.className = "small secondary";
  button.type = "submit";
  button.textContent = "Mark read";
  form.append(token, button);
  li.append(body, form);
  return li;
};

// New unread notifications go to the top of the centre's first page.
const addToCentre = (latest) => {
  const list = document.getElementById("notification-list");
  if (!list || list.dataset.page !== "1") return;
  for (const item of [...latest].reverse()) {
    if (item.read || list.querySelector(`[data-id="${item.id}"]`)) continue;
    list.prepend(notificationItem(item, list.dataset.csrf));
    document.getElementById("no-notifications")?.remove();
  }
};

const liveUrl = document.body.dataset.liveNotifications;
if (liveUrl && "EventSource" in window) {
  const source = new EventSource(liveUrl);
  source.addEventListener("notifications", (event) => {
    const update = JSON.parse(event.data);
    showUnread(update.unread);
    addToCentre(update.latest);
  });
}

// Meeting times: the server writes the UTC instant; the reader sees it on
// their own clock (the meeting's own zone is printed beside it).
for (const time of document.querySelectorAll("time[data-local]")) {
  const at = new Date(time.dateTime);
  if (!Number.isNaN(at.getTime())) {
    time.textContent = at.toLocaleString([], { dateStyle: "full", timeStyle: "short" });
  }
}

// Study uploads: sent with XMLHttpRequest for its upload progress events;
// the server answers with the result page (or the error page), which
// replaces this one. Without scripts the form posts as usual.
for (const form of document.querySelectorAll("form[data-study-upload]")) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const box = form.querySelector(".upload-progress");
    const bar = box.querySelector("progress");
    const status = box.querySelector(".upload-status");
    const button = form.querySelector("button[type=submit]");
    box.hidden = false;
    button.disabled = true;
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", (progress) => {
      if (!progress.lengthComputable) return;
      const percent = Math.round((100 * progress.loaded) / progress.total);
      bar.value = percent;
      status.textContent = `Uploading: ${percent}%`;
    });
    request.upload.addEventListener("load", () => {
      bar.value = 100;
      status.textContent = "Uploaded; removing identifying data and storing…";
    });
    request.addEventListener("load", () => {
      const page = new DOMParser().parseFromString(request.responseText, "text/html");
      document.title = page.title;
      document.body.replaceWith(document.adoptNode(page.body));
      history.replaceState(null, "", form.action.split("?")[0]);
    });
    request.addEventListener("error", () => {
      status.textContent = "The upload failed: the connection was lost. Nothing was stored.";
      button.disabled = false;
    });
    request.send(new FormData(form));
  });
}
