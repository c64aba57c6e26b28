/* Long lists (a complaint's office: 550 offices; a field report's regency: 514) get a box above
   them that narrows the list as people type ("luwu" leaves Luwu, Luwu Utara, Luwu Timur), as a
   phone's picker cannot be searched. The select keeps its name and value: without JavaScript, or
   when nothing is typed, it is the whole list. The box's words come from the select's data-filter-*
   attributes (the page's language); a count of what is left is read out to screen readers. */
(function () {
  "use strict";

  function fold(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim();
  }

  function enhance(select) {
    if (select.getAttribute("data-filter-ready")) { return; }
    select.setAttribute("data-filter-ready", "1");
    var box = document.createElement("div");
    box.className = "select-filter";
    var label = document.createElement("label");
    label.htmlFor = select.id + "-filter";
    label.textContent = select.getAttribute("data-filter-label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "-filter";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    input.setAttribute("aria-describedby", select.id + "-filter-count");
    var count = document.createElement("p");
    count.className = "hint";
    count.id = select.id + "-filter-count";
    count.setAttribute("aria-live", "polite");
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(count);
    select.parentNode.insertBefore(box, select);

    function matches(option, words) {
      var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
      var text = fold(option.text + " " + group);
      return words.every(function (w) { return text.indexOf(w) !== -1; });
    }

    function apply() {
      var words = fold(input.value).split(" ").filter(Boolean);
      var options = Array.prototype.filter.call(select.options, function (o) { return o.value; });  // not "— pilih —"
      var found = options.filter(function (o) { return matches(o, words); });
      if (words.length && found.length === 1 && select.value !== found[0].value) {
        select.value = found[0].value;  // the one left is chosen; the page hears of it as of a pick
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      // The chosen one stays visible: hiding it would leave a value people cannot see.
      options.forEach(function (o) { o.hidden = found.indexOf(o) === -1 && !o.selected; });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
      });
      var message = "";
      if (words.length) {
        message = found.length === 1 ? select.getAttribute("data-filter-one")
          : found.length ? select.getAttribute("data-filter-count").replace("%(n)s", found.length)
          : select.getAttribute("data-filter-none");
      }
      count.textContent = message;
    }
    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); select.focus(); }  // not a submit of the whole form
    });
  }

  function init() { document.querySelectorAll("select[data-filter-label]").forEach(enhance); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  document.addEventListener("satupintu:page-replaced", init);
})();
