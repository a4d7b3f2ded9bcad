// "Copy" buttons: with JavaScript, a button beside a read-only field copies its value and says
// so in a status region. Without JavaScript the buttons stay hidden and the field can be
// selected and copied by hand.
(function () {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const field = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.status);
    if (!field || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(field.value).then(
        () => { if (status) status.textContent = button.dataset.copied; },
        () => { field.select(); if (status) status.textContent = button.dataset.failed; }
      );
    });
  }
})();
