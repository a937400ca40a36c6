// Keyboard shortcuts for a panel: keydown anywhere inside the element with class `rootClass`
// (the panel) is sent to Python as {key}. Typing into a text field is left alone, and keys the
// panel uses are kept from JupyterLab (where "1".."7", arrows and Enter would act on cells).
function render({ model, el }) {
  el.classList.add("ogi-keys");
  el.tabIndex = 0;
  el.textContent = model.get("hint");
  const handler = (event) => {
    const target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (!model.get("shortcut_keys").includes(event.key)) return;
    event.preventDefault();
    event.stopPropagation();
    model.send({ key: event.key });
  };
  let root = null;
  // The panel's element exists only once the whole widget tree is in the page.
  const attach = (tries) => {
    root = el.closest("." + model.get("root_class"));
    if (!root && tries > 0) { setTimeout(() => attach(tries - 1), 50); return; }
    root = root || el;
    root.setAttribute("data-lm-suppress-shortcuts", "true");
    // focusable, so that a click on any part of the panel (text, images) gives it the keys
    if (!root.hasAttribute("tabindex")) root.tabIndex = -1;
    root.addEventListener("keydown", handler);
  };
  attach(100);
  return () => { if (root) root.removeEventListener("keydown", handler); };
}
export default { render };
