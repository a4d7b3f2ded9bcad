// Makes the invite and edit forms react at once. Everything here also works without it, through
// the form's buttons and the server: this only saves the round trips (UX.md rule 8).
(function () {
  "use strict";
  var form = document.querySelector(".access-form");
  if (!form) return;
  var status = document.getElementById("form-status");
  var advancedPlan = form.getAttribute("data-advanced-plan") === "yes";

  function announce(message) {
    if (status) status.textContent = message;
  }

  function rowOf(element) {
    return element.closest(".account-row");
  }

  function label(row) {
    var title = row.querySelector(".account-row__title");
    return title ? title.textContent.trim() : "this account";
  }

  function chosenRole(row) {
    var checked = row.querySelector(".js-role:checked");
    return checked ? checked : null;
  }

  // Shows the Custom boxes for Custom, and restrictions for the roles that can have them.
  function reveal(row) {
    var role = chosenRole(row);
    var custom = row.querySelector(".js-custom");
    var restrictions = row.querySelector(".js-restrictions");
    if (custom) custom.hidden = !(role && role.value === "custom");
    if (restrictions) restrictions.hidden = !(advancedPlan && role && role.getAttribute("data-premium") === "yes");
  }

  function chooseCustom(row) {
    var custom = row.querySelector('.js-role[value="custom"]');
    if (custom) custom.checked = true;
    reveal(row);
  }

  function setAreas(row, codes) {
    row.querySelectorAll(".js-area").forEach(function (box) {
      var code = box.name.replace(/^area_\d+_/, "");
      box.checked = codes.indexOf(code) !== -1;
    });
  }

  function checkedAreas(row) {
    var codes = [];
    row.querySelectorAll(".js-area:checked").forEach(function (box) {
      codes.push(box.name.replace(/^area_\d+_/, ""));
    });
    return codes;
  }

  form.querySelectorAll(".account-row").forEach(reveal);

  form.addEventListener("change", function (event) {
    if (event.target.classList.contains("js-role")) reveal(rowOf(event.target));
  });

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var row = rowOf(button);
    if (button.classList.contains("js-apply")) {
      event.preventDefault();
      var select = row.querySelector(".js-same-as");
      var option = select.options[select.selectedIndex];
      if (!option || !option.value) {
        announce("Choose a role to copy the permissions from.");
        select.focus();
        return;
      }
      chooseCustom(row);
      setAreas(row, option.getAttribute("data-areas").split(" "));
      announce("The permissions of " + option.textContent.trim() + " are ticked for " + label(row) + ".");
    } else if (button.classList.contains("js-uncheck")) {
      event.preventDefault();
      chooseCustom(row);
      setAreas(row, []);
      announce("All areas are unticked for " + label(row) + ".");
    } else if (button.classList.contains("js-copy-down")) {
      event.preventDefault();
      var codes = checkedAreas(row).filter(function (code) { return code !== "billing"; });
      var restrictions = [];
      row.querySelectorAll(".js-restriction:checked").forEach(function (box) {
        restrictions.push(box.name.replace(/^restriction_\d+_/, ""));
      });
      var copied = 0;
      form.querySelectorAll('.account-row[data-kind="sub"]').forEach(function (sub) {
        chooseCustom(sub);
        setAreas(sub, codes);
        sub.querySelectorAll(".js-restriction").forEach(function (box) {
          box.checked = restrictions.indexOf(box.name.replace(/^restriction_\d+_/, "")) !== -1;
        });
        copied += 1;
      });
      announce("The Master account's areas are copied to " + copied + " sub-account" + (copied === 1 ? "" : "s") + ".");
    }
  });
}());
