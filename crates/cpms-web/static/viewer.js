// The image viewer (/studies/{study}/viewer). The server renders each
// frame to PNG with the window asked for; this script keeps the view state
// (frame, window, zoom, pan, rotation, flips, invert), applies the view as
// CSS transforms on the image and its SVG overlay, prefetches neighbouring
// frames, and draws, saves and lists the study's shared annotations.
// Overlay coordinates are the image's own pixels (column, row), the unit
// the server stores and measures in.

const root = document.getElementById("viewer");

if (root) {
  const study = root.dataset.study;
  const csrf = root.dataset.csrf;
  const $ = (id) => document.getElementById(id);
  const stage = $("viewer-stage");
  const canvas = $("viewer-canvas");
  const image = $("viewer-image");
  const overlay = $("viewer-overlay");
  const slider = $("viewer-slider");
  const frameOut = $("viewer-frame");
  const windowOut = $("viewer-window");
  const zoomOut = $("viewer-zoom");
  const unavailable = $("viewer-unavailable");
  const list = $("annotation-list");
  const message = $("viewer-message");
  const textInput = $("annotation-text");
  const SVG = "http://www.w3.org/2000/svg";
  // Frames are rendered no larger than this; CSS scales them further.
  const MAX_SIDE = 1024;
  // Neighbours fetched ahead on each side, and frames kept decoded.
  const PREFETCH = 3;
  const CACHE_SIZE = 80;
  // A window drag sends its request once the pointer rests this long.
  const WINDOW_DEBOUNCE_MS = 150;

  let seriesUid = null;
  let stack = []; // one entry per frame: { instance, frame }
  let index = 0;
  let annotations = [];
  let tool = "pan";
  let fit = 1; // screen pixels per image pixel at zoom 1
  const view = { zoom: 1, panX: 0, panY: 0, rotation: 0, flipH: false, flipV: false, invert: false, window: null };
  const cache = new Map(); // frame URL → Promise<{ src } | { reason }>
  let shownRequest = 0;
  let windowTimer = 0;

  const path = (...parts) => parts.map(encodeURIComponent).join("/");
  const current = () => stack[index];
  const say = (text) => {
    message.textContent = text;
  };

  // --- frames -------------------------------------------------------------

  const frameUrl = (entry) => {
    const i = entry.instance;
    const side = Math.max(16, Math.min(MAX_SIDE, Math.max(i.rows || MAX_SIDE, i.columns || MAX_SIDE)));
    let url = `/studies/${path(study)}/series/${path(seriesUid)}/instances/${path(i.sop_uid)}/frames/${entry.frame}/rendered?size=${side}`;
    if (view.window) url += `&window=${view.window[0]},${view.window[1]}`;
    return url;
  };

  // Fetched rather than set as an <img> source so that a frame the server
  // cannot decode is known as such (the x-preview-unavailable header); each
  // frame is then decoded ahead in an Image object.
  const load = (url) => {
    let entry = cache.get(url);
    if (entry) return entry;
    entry = fetch(url, { credentials: "same-origin" })
      .then(async (response) => {
        if (response.headers.get("x-preview-unavailable")) {
          const reason = response.headers.get("x-preview-reason") || "the image could not be decoded";
          return { reason: reason.replace(/^Preview not available:\s*/i, "") };
        }
        if (!response.ok) return { reason: `the server answered ${response.status}` };
        const src = URL.createObjectURL(await response.blob());
        const decoded = new Image();
        decoded.src = src;
        await decoded.decode().catch(() => {});
        return { src };
      })
      .catch(() => ({ reason: "the connection failed" }));
    cache.set(url, entry);
    while (cache.size > CACHE_SIZE) {
      const [oldest, old] = cache.entries().next().value;
      cache.delete(oldest);
      old.then((o) => o.src && o.src !== image.src && URL.revokeObjectURL(o.src));
    }
    return entry;
  };

  const prefetch = () => {
    for (let d = 1; d <= PREFETCH; d++) {
      for (const i of [index + d, index - d]) {
        if (stack[i]) load(frameUrl(stack[i]));
      }
    }
  };

  const show = async () => {
    const entry = current();
    if (!entry) return;
    status();
    drawOverlay();
    const request = ++shownRequest;
    const result = await load(frameUrl(entry));
    if (request !== shownRequest) return;
    if (result.src) {
      image.src = result.src;
      image.hidden = false;
      unavailable.hidden = true;
    } else {
      image.hidden = true;
      unavailable.textContent = `Preview not available: ${result.reason}`;
      unavailable.hidden = false;
    }
    root.dataset.shown = String(index);
    root.dataset.shownWindow = view.window ? view.window.join(",") : "file";
    prefetch();
  };

  const go = (to) => {
    const next = Math.max(0, Math.min(stack.length - 1, to));
    if (next === index || !stack.length) return;
    index = next;
    slider.value = String(index);
    show();
  };

  // --- view ----------------------------------------------------------------

  const dims = () => {
    const i = current()?.instance;
    return [i?.columns || image.naturalWidth || 1, i?.rows || image.naturalHeight || 1];
  };

  const layout = () => {
    const [cols, rows] = dims();
    const w = stage.clientWidth;
    const h = stage.clientHeight;
    fit = Math.min(w / cols, h / rows);
    canvas.style.width = `${cols * fit}px`;
    canvas.style.height = `${rows * fit}px`;
    canvas.style.left = `${(w - cols * fit) / 2}px`;
    canvas.style.top = `${(h - rows * fit) / 2}px`;
    overlay.setAttribute("viewBox", `0 0 ${cols} ${rows}`);
    apply();
  };

  const apply = () => {
    const sx = view.zoom * (view.flipH ? -1 : 1);
    const sy = view.zoom * (view.flipV ? -1 : 1);
    canvas.style.transform = `translate(${view.panX}px, ${view.panY}px) rotate(${view.rotation}deg) scale(${sx}, ${sy})`;
    image.classList.toggle("inverted", view.invert);
    root.querySelector("[data-action=invert]").setAttribute("aria-pressed", String(view.invert));
    status();
  };

  // Screen point → image pixel, undoing translate, rotate and scale.
  const toImage = (clientX, clientY) => {
    const r = stage.getBoundingClientRect();
    const [cols, rows] = dims();
    let x = clientX - (r.left + r.width / 2 + view.panX);
    let y = clientY - (r.top + r.height / 2 + view.panY);
    const a = (-view.rotation * Math.PI) / 180;
    [x, y] = [x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a)];
    x /= view.zoom * (view.flipH ? -1 : 1);
    y /= view.zoom * (view.flipV ? -1 : 1);
    return [x / fit + cols / 2, y / fit + rows / 2];
  };

  const fileWindow = () => current()?.instance.window || null;

  const status = () => {
    const entry = current();
    if (!entry) return;
    const i = entry.instance;
    let text = `Image ${index + 1} / ${stack.length}`;
    if (i.frames > 1) text += ` · frame ${entry.frame} of ${i.frames}`;
    text += i.spacing ? ` · ${i.spacing.column_mm.toFixed(3)} mm/pixel` : " · no pixel spacing (lengths in px)";
    frameOut.textContent = text;
    const w = view.window || fileWindow();
    windowOut.textContent = w ? `W/L ${Math.round(w[1])}/${Math.round(w[0])}${view.window ? "" : " (file)"}` : "W/L auto";
    zoomOut.textContent = `Zoom ${Math.round(view.zoom * fit * 100)}%`;
    root.dataset.index = String(index);
    root.dataset.window = w ? `${Math.round(w[0])},${Math.round(w[1])}` : "auto";
  };

  const setWindow = (center, width, now) => {
    view.window = [Math.round(center), Math.max(1, Math.round(width))];
    status();
    clearTimeout(windowTimer);
    if (now) show();
    else windowTimer = setTimeout(show, WINDOW_DEBOUNCE_MS);
  };

  const zoomBy = (factor) => {
    view.zoom = Math.max(0.1, Math.min(20, view.zoom * factor));
    apply();
  };

  const reset = () => {
    Object.assign(view, { zoom: 1, panX: 0, panY: 0, rotation: 0, flipH: false, flipV: false, invert: false });
    const changed = view.window !== null;
    view.window = null;
    layout();
    if (changed) show();
  };

  const actions = {
    "zoom-in": () => zoomBy(1.25),
    "zoom-out": () => zoomBy(0.8),
    rotate: () => {
      view.rotation = (view.rotation + 90) % 360;
      apply();
    },
    "flip-h": () => {
      view.flipH = !view.flipH;
      apply();
    },
    "flip-v": () => {
      view.flipV = !view.flipV;
      apply();
    },
    invert: () => {
      view.invert = !view.invert;
      apply();
    },
    reset,
  };

  const chooseTool = (name) => {
    tool = name;
    for (const b of root.querySelectorAll("[data-tool]")) {
      b.setAttribute("aria-pressed", String(b.dataset.tool === name));
    }
    stage.dataset.tool = name;
  };

  // --- annotations -----------------------------------------------------------

  const lengthText = (a) =>
    a.length_mm != null ? `${a.length_mm.toFixed(1)} mm` : `${(a.length_px || 0).toFixed(1)} px`;

  const describe = (a) => {
    if (a.kind === "length") return `Length ${lengthText(a)}${a.label ? ` · ${a.label}` : ""}`;
    if (a.kind === "arrow") return a.label ? `Arrow: ${a.label}` : "Arrow";
    return `Text: ${a.label}`;
  };

  const svg = (name, attrs, parent) => {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    parent.append(node);
    return node;
  };

  // Draws an annotation (saved, or being drawn) in image pixels.
  const drawShape = (a, group) => {
    const [cols, rows] = dims();
    const unit = Math.max(cols, rows) / 40;
    const [p, q] = a.points;
    const label = (text, x, y) => {
      const t = svg("text", { x, y, "font-size": unit * 1.1, class: "note-text" }, group);
      t.textContent = text;
    };
    if (a.kind === "text") {
      svg("circle", { cx: p[0], cy: p[1], r: unit / 4, class: "note-dot" }, group);
      label(a.label, p[0] + unit / 2, p[1] - unit / 2);
      return;
    }
    svg("line", { x1: p[0], y1: p[1], x2: q[0], y2: q[1], class: "note-line" }, group);
    if (a.kind === "length") {
      for (const end of [p, q]) {
        svg("circle", { cx: end[0], cy: end[1], r: unit / 5, class: "note-dot" }, group);
      }
      label(lengthText(a), (p[0] + q[0]) / 2 + unit / 2, (p[1] + q[1]) / 2 - unit / 2);
    } else {
      const angle = Math.atan2(q[1] - p[1], q[0] - p[0]);
      const head = (turn) => [q[0] - unit * Math.cos(angle + turn), q[1] - unit * Math.sin(angle + turn)];
      const points = [q, head(0.45), head(-0.45)].map((xy) => xy.join(",")).join(" ");
      svg("polygon", { points, class: "note-head" }, group);
      if (a.label) label(a.label, p[0] + unit / 2, p[1] + unit);
    }
  };

  let drawing = null; // the annotation under the pointer, not saved yet

  const drawOverlay = () => {
    overlay.replaceChildren();
    const entry = current();
    if (!entry) return;
    for (const a of annotations) {
      if (a.sop_uid === entry.instance.sop_uid && a.frame === entry.frame) {
        drawShape(a, svg("g", { "data-annotation": a.id }, overlay));
      }
    }
    if (drawing) drawShape(drawing, svg("g", { class: "drawing" }, overlay));
  };

  const positionOf = (a) =>
    stack.findIndex((e) => e.instance.sop_uid === a.sop_uid && e.frame === a.frame);

  const renderList = () => {
    list.replaceChildren();
    for (const a of annotations) {
      const item = document.createElement("li");
      item.dataset.annotation = a.id;
      const where = positionOf(a);
      const open = document.createElement("button");
      open.type = "button";
      open.className = "link";
      open.textContent = describe(a);
      open.disabled = where < 0;
      open.addEventListener("click", () => go(where));
      const meta = document.createElement("small");
      meta.textContent = ` ${where < 0 ? "other series" : `image ${where + 1}`} · ${a.author} · ${a.created_at.slice(0, 16).replace("T", " ")}`;
      item.append(open, meta);
      if (a.removable) {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "small secondary";
        remove.textContent = "Remove";
        remove.addEventListener("click", () => removeAnnotation(a));
        item.append(" ", remove);
      }
      list.append(item);
    }
    if (!annotations.length) {
      const empty = document.createElement("li");
      empty.className = "note-hint";
      empty.textContent = "No annotations yet.";
      list.append(empty);
    }
    root.dataset.annotations = String(annotations.length);
  };

  const problem = async (response) => {
    const body = await response.json().catch(() => ({}));
    if (response.status === 403 && !body.detail) return "Refused: reload the page and try again.";
    return body.detail || `The server answered ${response.status}.`;
  };

  const loadAnnotations = async () => {
    const response = await fetch(`/studies/${path(study)}/annotations`, { credentials: "same-origin" });
    if (!response.ok) {
      say(`Annotations could not be loaded: ${await problem(response)}`);
      return;
    }
    annotations = await response.json();
    renderList();
    drawOverlay();
  };

  const saveAnnotation = async (kind, points, label) => {
    const entry = current();
    const response = await fetch(`/studies/${path(study)}/annotations`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({
        series_uid: seriesUid,
        sop_uid: entry.instance.sop_uid,
        frame: entry.frame,
        kind,
        points,
        label,
      }),
    });
    drawing = null;
    if (!response.ok) {
      say(`Not saved: ${await problem(response)}`);
      drawOverlay();
      return;
    }
    const saved = await response.json();
    annotations.push(saved);
    renderList();
    drawOverlay();
    say(`Saved: ${describe(saved)}.`);
  };

  const removeAnnotation = async (a) => {
    const response = await fetch(`/studies/${path(study)}/annotations/${path(a.id)}`, {
      method: "DELETE",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf },
    });
    if (!response.ok) {
      say(`Not removed: ${await problem(response)}`);
      return;
    }
    annotations = annotations.filter((x) => x.id !== a.id);
    renderList();
    drawOverlay();
    say(`Removed: ${describe(a)}.`);
  };

  // Length while drawing, from the instance's spacing (the server measures
  // again when saving).
  const liveLength = (p, q) => {
    const s = current().instance.spacing;
    const dx = q[0] - p[0];
    const dy = q[1] - p[1];
    return {
      length_px: Math.hypot(dx, dy),
      length_mm: s ? Math.hypot(dx * s.column_mm, dy * s.row_mm) : null,
    };
  };

  const clampToImage = ([x, y]) => {
    const [cols, rows] = dims();
    return [Math.max(0, Math.min(cols, x)), Math.max(0, Math.min(rows, y))];
  };

  // --- pointer, wheel and keys ------------------------------------------------

  const pointers = new Map();
  let drag = null;
  let pinch = null;

  stage.addEventListener("contextmenu", (event) => event.preventDefault());

  stage.addEventListener("pointerdown", (event) => {
    if (!current()) return;
    stage.focus();
    stage.setPointerCapture(event.pointerId);
    pointers.set(event.pointerId, [event.clientX, event.clientY]);
    event.preventDefault();
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      pinch = { distance: Math.hypot(a[0] - b[0], a[1] - b[1]), zoom: view.zoom };
      drag = null;
      drawing = null;
      drawOverlay();
      return;
    }
    const mode = event.button === 2 ? "window" : tool;
    drag = {
      mode,
      x: event.clientX,
      y: event.clientY,
      pan: [view.panX, view.panY],
      window: view.window || fileWindow() || [40, 400],
      start: clampToImage(toImage(event.clientX, event.clientY)),
    };
  });

  stage.addEventListener("pointermove", (event) => {
    if (!pointers.has(event.pointerId)) return;
    pointers.set(event.pointerId, [event.clientX, event.clientY]);
    if (pinch && pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      view.zoom = Math.max(0.1, Math.min(20, (pinch.zoom * Math.hypot(a[0] - b[0], a[1] - b[1])) / pinch.distance));
      apply();
      return;
    }
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (drag.mode === "pan") {
      view.panX = drag.pan[0] + dx;
      view.panY = drag.pan[1] + dy;
      apply();
    } else if (drag.mode === "window") {
      const step = Math.max(0.5, drag.window[1] / 300);
      setWindow(drag.window[0] + dy * step, drag.window[1] + dx * step, false);
    } else if (drag.mode === "length" || drag.mode === "arrow") {
      const end = clampToImage(toImage(event.clientX, event.clientY));
      const points = [drag.start, end];
      drawing = { kind: drag.mode, points, label: textInput.value.trim(), ...liveLength(...points) };
      drawOverlay();
    }
  });

  const release = (event) => {
    if (!pointers.delete(event.pointerId)) return;
    if (pinch) {
      if (pointers.size === 0) pinch = null;
      return;
    }
    const ended = drag;
    drag = null;
    if (!ended) return;
    const moved = Math.hypot(event.clientX - ended.x, event.clientY - ended.y);
    if ((ended.mode === "length" || ended.mode === "arrow") && drawing) {
      if (moved < 3) {
        drawing = null;
        drawOverlay();
        say("Drag from one point to the other to draw.");
        return;
      }
      const round = (p) => p.map((v) => Math.round(v * 100) / 100);
      saveAnnotation(ended.mode, drawing.points.map(round), ended.mode === "arrow" ? textInput.value.trim() : "");
    } else if (ended.mode === "text") {
      const text = textInput.value.trim();
      if (!text) {
        say("Type the text first, then click where it belongs.");
        textInput.focus();
        return;
      }
      saveAnnotation("text", [ended.start.map((v) => Math.round(v * 100) / 100)], text);
    } else if (ended.mode === "window") {
      clearTimeout(windowTimer);
      show();
    }
  };
  stage.addEventListener("pointerup", release);
  stage.addEventListener("pointercancel", (event) => {
    pointers.delete(event.pointerId);
    drag = null;
    pinch = null;
    drawing = null;
    drawOverlay();
  });

  stage.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      if (event.ctrlKey) zoomBy(event.deltaY < 0 ? 1.1 : 0.9);
      else go(index + Math.sign(event.deltaY));
    },
    { passive: false },
  );

  const keys = {
    ArrowDown: () => go(index + 1),
    ArrowRight: () => go(index + 1),
    ArrowUp: () => go(index - 1),
    ArrowLeft: () => go(index - 1),
    PageDown: () => go(index + 10),
    PageUp: () => go(index - 10),
    Home: () => go(0),
    End: () => go(stack.length - 1),
    "+": actions["zoom-in"],
    "=": actions["zoom-in"],
    "-": actions["zoom-out"],
    r: actions.rotate,
    h: actions["flip-h"],
    v: actions["flip-v"],
    i: actions.invert,
    0: reset,
    p: () => chooseTool("pan"),
    w: () => chooseTool("window"),
    l: () => chooseTool("length"),
    a: () => chooseTool("arrow"),
    t: () => chooseTool("text"),
    Escape: () => {
      drag = null;
      drawing = null;
      drawOverlay();
    },
  };
  // Keys work wherever the focus is on the page (after a toolbar click,
  // say), except while typing; the slider handles its own arrows.
  document.addEventListener("keydown", (event) => {
    const action = keys[event.key];
    if (!action || event.altKey || event.metaKey || event.ctrlKey) return;
    if (event.target.closest("input, textarea, select")) return;
    event.preventDefault();
    action();
  });

  slider.addEventListener("input", () => go(Number(slider.value)));

  for (const button of root.querySelectorAll("[data-tool]")) {
    button.addEventListener("click", () => chooseTool(button.dataset.tool));
  }
  for (const button of root.querySelectorAll("[data-action]")) {
    button.addEventListener("click", () => actions[button.dataset.action]());
  }
  for (const button of root.querySelectorAll("[data-preset]")) {
    button.addEventListener("click", () => {
      const [center, width] = button.dataset.preset.split(",").map(Number);
      setWindow(center, width, true);
    });
  }

  // --- series ------------------------------------------------------------------

  const openSeries = async (uid) => {
    for (const b of root.querySelectorAll(".series-pick")) {
      b.setAttribute("aria-pressed", String(b.dataset.series === uid));
    }
    const response = await fetch(`/studies/${path(study)}/series/${path(uid)}/stack`, { credentials: "same-origin" });
    if (!response.ok) {
      say(`This series could not be opened: ${await problem(response)}`);
      return;
    }
    const instances = await response.json();
    seriesUid = uid;
    stack = instances.flatMap((instance) =>
      Array.from({ length: instance.frames }, (_, f) => ({ instance, frame: f + 1 })),
    );
    index = 0;
    slider.max = String(Math.max(0, stack.length - 1));
    slider.value = "0";
    slider.disabled = stack.length < 2;
    view.window = null;
    reset();
    renderList();
    show();
  };

  for (const button of root.querySelectorAll(".series-pick")) {
    button.addEventListener("click", () => openSeries(button.dataset.series));
  }
  new ResizeObserver(layout).observe(stage);
  image.addEventListener("load", () => {
    if (!current()?.instance.columns) layout();
  });
  chooseTool("pan");
  const first = root.querySelector(".series-pick");
  Promise.all([first ? openSeries(first.dataset.series) : null, loadAnnotations()]).then(() => {
    root.dataset.ready = "true";
  });
}
