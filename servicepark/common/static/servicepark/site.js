// Small behaviours without inline code (the Content-Security-Policy allows our own files only).
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.classList.contains("autosubmit")) {
    target.form.submit();
  }
});
