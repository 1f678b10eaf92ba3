// The calendar address's copy button: shown only where the browser can copy (the address stays selectable).
document.querySelectorAll("[data-copy-target]").forEach((button) => {
  const target = document.getElementById(button.dataset.copyTarget);
  if (!target || !navigator.clipboard) {
    return;
  }
  button.classList.remove("d-none");
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(target.textContent.trim()).then(() => {
      button.textContent = button.dataset.copied;
    });
  });
});
