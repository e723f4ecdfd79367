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
    $("name").textContent = v.name;
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
    for (const c of v.changes) {
      const li = document.createElement("li");
      const verb = c.kind === "deny" ? "Remove (" + c.entity + ")" : c.kind === "allow" ? "Keep" :
        (c.choice === "keep" ? "Decided: keep" : "Decided: remove");
      li.textContent = verb + ": " + c.text;
      ch.appendChild(li);
    }
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
