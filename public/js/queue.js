// The queue's bulk form: a "select all shown" box in the first column's heading, and the number of
// tickets selected beside the actions. Without this script every row's own box still works.
(function () {
  'use strict';
  var form = document.getElementById('bulk');
  var heading = form && form.querySelector('thead .select-cell');
  if (!form || !heading) return;
  var boxes = Array.prototype.slice.call(form.querySelectorAll('tbody input[name="tickets"]'));
  var count = form.querySelector('[data-selected-count]');

  var all = document.createElement('input');
  all.type = 'checkbox';
  all.id = 'select-all';
  var label = document.createElement('label');
  label.htmlFor = 'select-all';
  label.className = 'visually-hidden';
  label.textContent = 'Select all tickets shown';
  heading.textContent = '';
  heading.appendChild(all);
  heading.appendChild(label);

  function update() {
    var selected = boxes.filter(function (box) {
      return box.checked;
    }).length;
    all.checked = selected > 0 && selected === boxes.length;
    all.indeterminate = selected > 0 && selected < boxes.length;
    if (count) count.textContent = selected === 0 ? '' : '(' + selected + ' selected)';
  }
  all.addEventListener('change', function () {
    boxes.forEach(function (box) {
      box.checked = all.checked;
    });
    update();
  });
  boxes.forEach(function (box) {
    box.addEventListener('change', update);
  });
  update();
})();
