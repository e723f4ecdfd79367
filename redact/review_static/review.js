"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let busy = false;

  function say(text, info) {
    const m = $("message");
    m.textContent = text || "";
    m.className = info ? "info" : "";
  }

  async function call(path, data) {
    if (busy) return;
    busy = true;
    document.body.setAttribute("aria-busy", "true");
    try {
      const opts = data === undefined ? { method: "GET" } : {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(data), credentials: "same-origin"
      };
      const r = await fetch(path, opts);
      const j = await r.json().catch(() => ({ error: "The server did not answer (" + r.status + ")." }));
      if (!r.ok) {
        say((j.error || "Error") + (j.todo ? " — " + j.todo : ""));
        if (j.segments) render(j);
        return null;
      }
      render(j);
      return j;
    } catch (e) {
      say("The review server cannot be reached. Is redact review still running?");
      return null;
    } finally {
      busy = false;
      document.body.removeAttribute("aria-busy");
    }
  }

  function title(p) {
    if (p.t === "review") return "to decide (" + p.reason + ")" + (p.decided ? ": decided, kept" : "");
    let t = p.entity + " · " + p.action + " · rule " + p.rule + " · score " + p.score.toFixed(2);
    if (p.replacement) t += " · becomes " + p.replacement;
    return t;
  }

  function paint(box, pieces) {
    const frag = document.createDocumentFragment();
    for (const p of pieces) {
      if (p.t === "text") { frag.appendChild(document.createTextNode(p.text)); continue; }
      const m = document.createElement("mark");
      m.textContent = p.text;
      m.title = title(p);
      if (p.t === "review") {
        m.className = "review" + (p.decided ? " decided" : "");
        m.dataset.review = "1";
      } else {
        m.className = "a-" + p.action + " e-" + p.entity;
        m.dataset.action = p.action;
        m.dataset.entity = p.entity;
      }
      m.setAttribute("aria-label", p.text + ", " + m.title);
      frag.appendChild(m);
    }
    box.appendChild(frag);
  }

  function button(label, aria, onclick) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.setAttribute("aria-label", aria);
    b.addEventListener("click", onclick);
    return b;
  }

  function render(v) {
    const act = document.activeElement;
    const focused = act && act.id, focusedName = act && act.getAttribute("aria-label");
    $("name").textContent = v.name;
    $("where").textContent = v.case ? "Case " + v.case + ", item " + v.item +
      ": Publish stores the redacted statement into the case and seals the original." :
      "Publish writes " + v.output + ".";
    document.title = "redact review: " + v.name;
    const st = $("status");
    const left = v.review_left;
    let s = v.verified ? "Verified: no removed word is left in the output." :
      "Verification FAILED: " + v.problem;
    s += " " + left + " review mark(s) left to decide.";
    if (v.published) s += " Published to " + v.published + (v.policy_out ? " (decisions saved as a policy in " + v.policy_out + ")" : "") + ".";
    st.textContent = s;
    st.className = v.verified ? "ok" : "bad";
    $("review-count").textContent = "(" + left + " left)";
    $("publish").disabled = !v.can_publish;
    $("publish").setAttribute("aria-describedby", "status");
    $("undo").disabled = v.changes.length === 0;
    const orig = $("original"), red = $("redacted");
    orig.textContent = ""; red.textContent = "";
    v.segments.forEach((seg, i) => {
      if (i > 0) { orig.appendChild(document.createElement("hr")); red.appendChild(document.createElement("hr")); }
      paint(orig, seg.original); paint(red, seg.redacted);
    });
    // the words to decide, once each
    const list = $("review-list");
    list.textContent = "";
    const seen = new Set();
    for (const seg of v.segments) for (const p of seg.original) {
      if (p.t !== "review" || p.decided) continue;
      const key = p.text.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const li = document.createElement("li");
      const w = document.createElement("mark");
      w.className = "review"; w.textContent = p.text; w.title = title(p);
      li.appendChild(w); li.appendChild(document.createTextNode(" "));
      li.appendChild(button("Keep", "Keep " + p.text, () => call("/api/review", { text: p.text, choice: "keep" })));
      li.appendChild(button("Remove", "Remove " + p.text, () => call("/api/review", { text: p.text, choice: "remove" })));
      list.appendChild(li);
    }
    if (!seen.size) {
      const li = document.createElement("li");
      li.textContent = "None left.";
      list.appendChild(li);
    }
    const ch = $("changes");
    ch.textContent = "";
    v.changes.forEach((c, i) => {
      const li = document.createElement("li");
      const what = describe(c) + (c.stored ? " (remembered in the case)" : "");
      if (c.stored) li.className = "stored";
      li.appendChild(document.createTextNode(what + " "));
      li.appendChild(button("Take back", "Take back: " + what, () => call("/api/undo", { index: i })));
      ch.appendChild(li);
    });
    renderKinds(v);
    renderLabels(v);
    // the control that was used keeps the focus when the page is redrawn
    const again = focused ? $(focused) : focusedName &&
      document.querySelector("[aria-label='" + CSS.escape(focusedName) + "']");
    if (again) again.focus();
  }

  function describe(c) {
    if (c.kind === "deny") return "Remove (" + c.entity + "): " + c.text;
    if (c.kind === "allow") return "Keep: " + c.text;
    if (c.kind === "action") return "Show every " + c.entity + " as: " + (ACTION_NAMES[c.text] || c.text);
    if (c.kind === "label") return "Rename " + c.choice + " to " + c.text;
    return (c.choice === "keep" ? "Decided: keep" : "Decided: remove") + ": " + c.text;
  }

  const ACTION_NAMES = { pseudonymize: "pseudonym", replace: "type label", mask: "mask",
    redact: "removed", generalize: "generalised", keep: "kept" };

  function renderKinds(v) {
    const list = $("kinds");
    list.textContent = "";
    for (const k of v.entities) {
      const li = document.createElement("li");
      const id = "act-" + k.entity;
      const lab = document.createElement("label");
      lab.htmlFor = id;
      lab.textContent = k.entity + " (now: " + (ACTION_NAMES[k.action] || k.action) + ")";
      const sel = document.createElement("select");
      sel.id = id;
      const choices = k.choices.includes(k.action) ? k.choices : [k.action].concat(k.choices);
      for (const a of choices) {
        const o = document.createElement("option");
        o.value = a; o.textContent = ACTION_NAMES[a] || a;
        if (a === k.action) o.selected = true;
        if (!k.choices.includes(a)) o.disabled = true;
        sel.appendChild(o);
      }
      const row = document.createElement("div");
      row.className = "row";
      row.appendChild(sel);
      row.appendChild(button("Apply", "Apply the action for " + k.entity, async () => {
        if (sel.value === k.action) { say("No change: " + k.entity + " is already shown so."); return; }
        if (await call("/api/action", { entity: k.entity, action: sel.value })) say("Done: the statement was checked again.", true);
      }));
      li.appendChild(lab); li.appendChild(row);
      list.appendChild(li);
    }
  }

  function renderLabels(v) {
    const list = $("labels");
    list.textContent = "";
    $("labels-hint").textContent = v.can_rename ? "Rename a label: every mention follows." :
      "Labels are shared by every statement of the case: they cannot be renamed here.";
    if (!v.can_rename) return;
    v.labels.forEach((l, i) => {
      const li = document.createElement("li");
      const form = document.createElement("form");
      const id = "label-" + i;
      const lab = document.createElement("label");
      lab.htmlFor = id;
      lab.textContent = "New label for " + l.label + " (" + l.entity + ")";
      const input = document.createElement("input");
      input.id = id; input.value = l.label; input.autocomplete = "off"; input.required = true;
      input.dataset.label = l.label;
      const b = document.createElement("button");
      b.type = "submit"; b.textContent = "Rename";
      b.setAttribute("aria-label", "Rename " + l.label);
      const row = document.createElement("div");
      row.className = "row";
      row.appendChild(input); row.appendChild(b);
      form.appendChild(lab); form.appendChild(row);
      form.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const to = input.value.trim();
        if (!to || to === l.label) { say("Type a new label first."); return; }
        if (await call("/api/label", { label: l.label, new: to })) say("Renamed: every mention follows.", true);
      });
      li.appendChild(form);
      list.appendChild(li);
    });
  }

  function onSubmit(form, path, extra) {
    $(form).addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const input = $(form).querySelector("input");
      const text = input.value.trim();
      if (!text) return;
      const data = Object.assign({ text: text }, extra ? extra() : {});
      if (await call(path, data)) { input.value = ""; say("Done: the statement was checked again.", true); }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    onSubmit("deny-form", "/api/deny", () => ({ entity: $("deny-entity").value }));
    onSubmit("allow-form", "/api/allow");
    $("undo").addEventListener("click", async () => {
      if (await call("/api/undo", {})) say("Undone.", true);
    });
    $("publish").addEventListener("click", async () => {
      const j = await call("/api/publish", {});
      if (j) say("Published: " + j.published, true);
    });
    // a decision in the published text leads to its controls: its label, or its type
    $("redacted").addEventListener("click", (ev) => {
      const m = ev.target.closest("mark");
      if (!m || !m.dataset.entity) return;
      const lab = m.dataset.action === "pseudonymize" &&
        document.querySelector("#labels input[data-label='" + CSS.escape(m.textContent) + "']");
      const target = lab || $("act-" + m.dataset.entity);
      if (target) target.focus();
    });
    // a highlighted word in the original fills the forms (click or Enter)
    $("original").addEventListener("click", (ev) => {
      const m = ev.target.closest("mark");
      if (!m) return;
      if (m.dataset.action && m.dataset.action !== "keep") { $("allow-text").value = m.textContent; $("allow-text").focus(); }
      else { $("deny-text").value = m.textContent; $("deny-text").focus(); }
    });
    call("/api/state");
  });
})();
