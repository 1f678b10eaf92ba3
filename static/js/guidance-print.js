// The "Print this page" button of the guidance topics: hidden until this script runs (without
// JavaScript a <noscript> note says to use the browser's Print command), then it opens the print dialog.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
