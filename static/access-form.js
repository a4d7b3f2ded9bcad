// Makes the invite and edit forms react at once (UX.md rule 8). Everything here also works
// without it, through the form's buttons and the server: this only saves the round trips.
// - A role set to Custom shows that row's boxes at once (cloned from a <template>).
// - "Activate the same permissions as" and "Uncheck all" tick the boxes in the page.
// - "Copy to all below", while ticked, keeps every sub-account row following the master's boxes.
// - Add and Remove ask the server for the new form and put it in place, focus on the changed row.
(function () {
  "use strict";
  var form = document.getElementById("access-form");
  if (!form) return;
  var status = document.getElementById("form-status");
  var advancedPlan = form.getAttribute("data-advanced-plan") === "yes";

  // The page's sentences, in its language, from the form's data-says-* attributes: "{name}"
  // marks where a value goes.
  function says(key, values) {
    var text = form.dataset["says" + key.charAt(0).toUpperCase() + key.slice(1)] || "";
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : all;
    });
  }

  function announce(message) {
    if (!status) return;
    // Cleared first, so the same words said twice are announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function rowOf(element) { return element.closest(".access-row"); }
  function keyOf(row) { return row.getAttribute("data-row"); }
  function isMaster(row) { return row.getAttribute("data-kind") === "master"; }
  function roleOf(row) { return row.querySelector(".js-role"); }
  function masterRow() { return form.querySelector('.access-row[data-kind="master"]'); }
  function subRows() { return all(form, '.access-row[data-kind="sub"]'); }
  function copyBox() { return form.querySelector(".js-copy"); }

  function labelOf(row) {
    var cell = row.querySelector(".access-row__account");
    return cell ? cell.textContent.trim() : "";
  }

  // The code a box stands for: "area_3_contacts" is "contacts".
  function codeOf(box) { return box.name.replace(/^[a-z]+_\d+_/, ""); }

  function detailCell(row) {
    var cell = row.querySelector(".access-row__detail td");
    if (cell) return cell;
    var line = document.createElement("tr");
    line.className = "access-row__detail";
    cell = document.createElement("td");
    cell.colSpan = 3;
    line.appendChild(cell);
    row.appendChild(line);
    return cell;
  }

  // A block for this row from one of the page's templates, with the row's index and name.
  function fromTemplate(id, row) {
    var template = document.getElementById(id);
    if (!template) return null;
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__i__/g, keyOf(row));
    all(holder, ".js-row-label").forEach(function (span) { span.textContent = labelOf(row); });
    return holder.firstElementChild;
  }

  function ensureCustom(row) {
    var block = row.querySelector(".js-custom");
    if (block) return block;
    block = fromTemplate(isMaster(row) ? "custom-master" : "custom-sub", row);
    if (!block) return null;
    var copy = block.querySelector(".copy");
    if (copy && subRows().length === 0) copy.parentNode.removeChild(copy);
    var cell = detailCell(row);
    cell.insertBefore(block, cell.firstChild);
    return block;
  }

  function ensureRestrictions(row) {
    var block = row.querySelector(".js-restrictions");
    if (block) return block;
    block = fromTemplate("restrictions-template", row);
    if (block) detailCell(row).appendChild(block);
    return block;
  }

  // The detail line under a row shows only when something in it does.
  function tidy(row) {
    var line = row.querySelector(".access-row__detail");
    if (!line) return;
    var cell = line.querySelector("td");
    line.hidden = !Array.prototype.some.call(cell.children, function (child) { return !child.hidden; });
  }

  // Shows the Custom boxes for Custom, and restrictions for the roles that can have them.
  function reveal(row) {
    var select = roleOf(row);
    if (!select || select.disabled) return;
    var option = select.options[select.selectedIndex];
    var custom = select.value === "custom";
    var block = custom ? ensureCustom(row) : row.querySelector(".js-custom");
    if (block) block.hidden = !custom;
    var restricted = !!option && option.hasAttribute("data-restrictions");
    var restrictions = restricted && advancedPlan ? ensureRestrictions(row) : row.querySelector(".js-restrictions");
    if (restrictions) restrictions.hidden = !restricted;
    tidy(row);
    // "Copy to all below" copies Custom boxes only.
    var copy = copyBox();
    if (isMaster(row) && !custom && copy && copy.checked) {
      copy.checked = false;
      follow(false);
    }
  }

  function codes(row, selector) {
    return all(row, selector + ":checked").map(codeOf);
  }

  function tick(row, selector, wanted) {
    all(row, selector).forEach(function (box) { box.checked = wanted.indexOf(codeOf(box)) !== -1; });
  }

  function labelFor(box) {
    var label = form.querySelector('label[for="' + box.id + '"]');
    return label ? label.textContent.trim() : codeOf(box);
  }

  // While "Copy to all below" is ticked, every sub-account row follows the master account: its
  // own boxes are put away and a line says what it follows, kept up to date as boxes are ticked
  // (the server copies them when the form is sent). Unticked, each row is its own again,
  // starting from what was copied.
  function follow(on) {
    var master = masterRow();
    var areas = master ? all(master, ".js-area:checked").filter(function (box) { return codeOf(box) !== "billing"; }) : [];
    var restrictions = master ? codes(master, ".js-restriction") : [];
    var note = says("follows", { areas: areas.map(labelFor).join(", ") });
    subRows().forEach(function (row) {
      var select = roleOf(row);
      var line = row.querySelector(".js-following");
      all(row, ".js-custom, .js-restrictions").forEach(function (block) {
        block.hidden = on;
        all(block, "fieldset").forEach(function (set) { set.disabled = on; });
      });
      select.value = "custom";
      select.disabled = on;
      if (on) {
        if (!line) {
          line = document.createElement("p");
          line.className = "hint following-note js-following";
          detailCell(row).insertBefore(line, detailCell(row).firstChild);
        }
        line.textContent = note;
        line.hidden = false;
      } else {
        // The server's hidden copy of the boxes gives way to boxes of the row's own.
        all(row, ".js-following-field").forEach(function (field) { field.parentNode.removeChild(field); });
        if (line) line.parentNode.removeChild(line);
        reveal(row);
        tick(row, ".js-area", areas.map(codeOf));
        if (restrictions.length) {
          var block = ensureRestrictions(row);
          if (block) tick(block, ".js-restriction", restrictions);
        }
      }
      tidy(row);
      // Following rows fold into one line that names them; unticked, they come back.
      row.classList.toggle("access-row--following", on);
    });
    var followers = form.querySelector(".js-followers");
    if (followers) {
      var names = subRows().map(labelOf);
      followers.hidden = !on || names.length === 0;
      followers.querySelector("p").textContent =
        says(names.length === 1 ? "follower" : "followers", { accounts: names.join(", ") });
    }
  }

  function prepare() {
    all(form, ".js-without-script").forEach(function (element) { element.hidden = true; });
    all(form, ".access-row").forEach(reveal);
  }

  // Add and Remove: the server applies the button and answers with the form as it now is,
  // which replaces this one without a page load; focus goes to the row that changed.
  function submitInPlace(button) {
    var data = new URLSearchParams(new FormData(form));
    data.append(button.name, button.value);
    button.disabled = true;
    fetch(form.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (html) { return { status: response.status, html: html }; });
      })
      .then(function (result) {
        var page = new DOMParser().parseFromString(result.html, "text/html");
        var fresh = page.getElementById("access-form");
        if (!fresh || (result.status !== 200 && result.status !== 422)) {
          // Not the form (an error page): show it as a page load would.
          document.documentElement.innerHTML = page.documentElement.innerHTML;
          return;
        }
        form.innerHTML = fresh.innerHTML;
        var errors = document.getElementById("error-slot");
        var freshErrors = page.getElementById("error-slot");
        if (errors && freshErrors) errors.innerHTML = freshErrors.innerHTML;
        document.title = page.title;
        prepare();
        var notice = document.getElementById("changed");
        var summary = document.querySelector(".error-summary");
        var target = summary || (notice && document.getElementById(notice.getAttribute("data-focus")));
        if (target) target.focus();
        announce(summary ? summary.textContent.trim() : notice ? notice.textContent.trim() : "");
      })
      .catch(function () {
        // The network failed: the plain form post still works.
        button.disabled = false;
        form.requestSubmit(button);
      });
  }

  prepare();

  // The advanced accesses line counts this person's as soon as a role that takes one is
  // picked on any row: one per person, however many accounts.
  function recount() {
    var line = document.querySelector(".js-advanced-used");
    if (!line) return;
    var takes = all(form, ".js-role").some(function (select) {
      var option = select.options[select.selectedIndex];
      return option && option.hasAttribute("data-restrictions");
    });
    line.textContent = line.getAttribute(takes ? "data-taken" : "data-now");
  }
  recount();

  form.addEventListener("change", function (event) {
    var target = event.target;
    var row = rowOf(target);
    if (target.classList.contains("js-role")) {
      reveal(row);
      recount();
    } else if (target.classList.contains("js-copy")) {
      follow(target.checked);
      announce(says(target.checked ? "copyOn" : "copyOff", {}));
    } else if (row && isMaster(row) && (target.classList.contains("js-area") || target.classList.contains("js-restriction"))) {
      var copy = copyBox();
      if (copy && copy.checked) follow(true);
    }
  });

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || !form.contains(button)) return;
    var row = rowOf(button);
    if (button.classList.contains("js-apply")) {
      event.preventDefault();
      var select = row.querySelector(".js-same-as");
      var option = select.options[select.selectedIndex];
      if (!option || !option.value) {
        announce(says("chooseRole", {}));
        select.focus();
        return;
      }
      tick(row, ".js-area", option.getAttribute("data-areas").split(" "));
      if (isMaster(row) && copyBox() && copyBox().checked) follow(true);
      announce(says("sameAs", { role: option.textContent.trim(), account: labelOf(row) }));
    } else if (button.classList.contains("js-uncheck")) {
      event.preventDefault();
      tick(row, ".js-area", []);
      if (isMaster(row) && copyBox() && copyBox().checked) follow(true);
      announce(says("unchecked", { account: labelOf(row) }));
    } else if (button.classList.contains("js-add") || button.classList.contains("js-remove")) {
      event.preventDefault();
      submitInPlace(button);
    }
  });
}());
