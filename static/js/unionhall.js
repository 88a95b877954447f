// Small behaviours that need no framework: submit the language selector on change.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-uh-autosubmit")) {
    target.form.submit();
  }
});
