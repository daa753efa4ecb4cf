// Concord: small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // "Print this decision" buttons (no inline scripts: the page's policy forbids them).
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });

  // The process diagram, drawn by the vendored Mermaid (no outside server).
  const diagram = document.querySelector("pre.mermaid");
  if (diagram) {
    const script = document.createElement("script");
    script.src = diagram.dataset.script;
    script.onload = () => {
      window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral" });
      window.mermaid.run({ nodes: [diagram] });
    };
    document.head.appendChild(script);
  }

  // Position form: name the text after the chosen kind (each option carries that name, in the
  // page's language); show the amendment only with an objection (a kind that blocks).
  document.querySelectorAll("form.position-form").forEach((form) => {
    const textLabel = form.querySelector('label[for="text"]');
    const amendment = form.querySelector(".amendment-field");
    const update = () => {
      const chosen = form.querySelector('input[name="kind"]:checked');
      const option = chosen ? chosen.closest("[data-text-label]") : null;
      if (textLabel && option && option.dataset.textLabel) textLabel.textContent = option.dataset.textLabel;
      if (amendment) amendment.hidden = !(option && option.dataset.blocks === "true");
    };
    form.querySelectorAll('input[name="kind"]').forEach((input) => input.addEventListener("change", update));
    update();
  });

  // New document: show what the chosen kind needs.
  const kind = document.querySelector('select[name="kind"]');
  const help = document.querySelectorAll(".kind-help .hint");
  if (kind && help.length) {
    const show = () => help.forEach((p) => p.classList.toggle("shown", p.dataset.kind === kind.value));
    kind.addEventListener("change", show);
    show();
  }
});
