// Search box suggestions: asks the API after a pause in typing (not per keystroke), shows words, categories
// or, under an empty box, the popular searches of the last day. Arrow keys move, Enter picks, Escape closes.
(function () {
  "use strict";
  const input = document.querySelector("[data-suggest-url]");
  if (!input) return;
  const form = input.form;
  const list = document.getElementById(input.getAttribute("aria-controls"));
  let timer = null;
  let asked = 0;
  let active = -1;

  function options() { return Array.from(list.querySelectorAll("[role=option]")); }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    active = -1;
  }

  function option(text, href, kind) {
    const li = document.createElement("li");
    li.setAttribute("role", "option");
    li.id = "search-suggestion-" + list.children.length;
    li.className = "suggestion " + kind;
    li.textContent = text;
    li.dataset.value = text;
    if (href) li.dataset.href = href;
    li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(li); });
    list.appendChild(li);
  }

  function show(data) {
    list.replaceChildren();
    if (data.popular.length) {
      const title = document.createElement("li");
      title.className = "suggestion-title";
      title.textContent = list.dataset.popularLabel;
      list.appendChild(title);
    }
    data.popular.forEach(function (text) { option(text, null, "popular"); });
    data.categories.forEach(function (category) { option(category.name, category.url, "category"); });
    data.words.forEach(function (text) { option(text, null, "word"); });
    if (!options().length) { close(); return; }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }

  function ask() {
    const number = ++asked;
    fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(input.value), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && number === asked && document.activeElement === input) show(data); })
      .catch(function () {});
  }

  function pick(li) {
    if (li.dataset.href) { window.location.href = li.dataset.href; return; }
    input.value = li.dataset.value;
    close();
    form.submit();
  }

  function move(step) {
    const all = options();
    if (!all.length) return;
    if (active >= 0) all[active].classList.remove("active");
    active = (active + step + all.length) % all.length;
    all[active].classList.add("active");
    input.setAttribute("aria-activedescendant", all[active].id);
  }

  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 120); });
  input.addEventListener("focus", ask);
  input.addEventListener("blur", close);
  input.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); pick(options()[active]); }
  });
})();
