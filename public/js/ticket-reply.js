// Puts the chosen FAQ answer into the staff reply where the cursor is, without reloading the page.
// Without this script the "Insert answer" button posts the form, draft included, and the page comes
// back with the draft and the answer after it: nothing typed is lost either way.
(function () {
  'use strict';
  var form = document.querySelector('form[data-insert-answer]');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var button = form.querySelector('[data-insert-button]');
  var picker = form.querySelector('#answer');
  var reply = form.querySelector('#reply-body');
  var status = form.querySelector('[data-insert-status]');
  if (!button || !picker || !reply || !status) return;
  // Where the cursor was when the reply box last had focus (choosing an answer moves focus away).
  var cursor = { start: reply.value.length, end: reply.value.length };

  function remember() {
    cursor = { start: reply.selectionStart, end: reply.selectionEnd };
  }
  ['keyup', 'mouseup', 'select', 'input', 'blur'].forEach(function (type) {
    reply.addEventListener(type, remember);
  });

  function say(text) {
    // Emptied first, so that inserting the same answer twice is announced twice.
    status.textContent = '';
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  /** The answer with a blank line before and after it, unless it starts or ends the text. */
  function place(text) {
    var before = reply.value.slice(0, cursor.start);
    var after = reply.value.slice(cursor.end);
    var lead = before === '' ? '' : /\n\n$/.test(before) ? '' : /\n$/.test(before) ? '\n' : '\n\n';
    var tail = after === '' ? '' : /^\n\n/.test(after) ? '' : /^\n/.test(after) ? '\n' : '\n\n';
    reply.value = before + lead + text + tail + after;
    var end = before.length + lead.length + text.length;
    reply.focus();
    reply.setSelectionRange(end, end);
    cursor = { start: end, end: end };
  }

  button.addEventListener('click', function (event) {
    event.preventDefault();
    var body = new URLSearchParams();
    body.set('_csrf', form.querySelector('input[name="_csrf"]').value);
    body.set('answer', picker.value);
    button.disabled = true;
    fetch(button.getAttribute('formaction'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    })
      .then(function (response) {
        if (!response.ok) throw new Error('insert failed: ' + response.status);
        return response.json();
      })
      .then(function (answer) {
        place(answer.text);
        say('Inserted the answer “' + answer.title + '” into your reply.');
      })
      .catch(function () {
        // The page's own way still works: post the form with the draft.
        button.disabled = false;
        form.action = button.getAttribute('formaction');
        form.submit();
      })
      .then(function () {
        button.disabled = false;
      });
  });
})();
