// Shows FAQ answers that match what the filer is typing in the request form. The form works the
// same without this script: the server then shows the suggestions on a confirmation step.
(function () {
  'use strict';
  var form = document.querySelector('form[data-suggest]');
  if (!form || !window.fetch) return;
  var subject = form.querySelector('#subject');
  var body = form.querySelector('#body');
  var region = document.getElementById('suggestions');
  var seen = form.querySelector('input[name="suggestionsSeen"]');
  var timer = null;
  var lastQuery = '';

  function render(results) {
    region.textContent = '';
    if (results.length === 0) {
      region.hidden = true;
      return;
    }
    var heading = document.createElement('p');
    // The page may give the heading in its own language (data-heading on the region).
    heading.textContent = region.getAttribute('data-heading') || 'These answers may solve your problem (they open in a new tab):';
    var list = document.createElement('ul');
    results.forEach(function (r) {
      var item = document.createElement('li');
      var link = document.createElement('a');
      link.href = r.url + '?from=request';
      link.target = '_blank';
      link.rel = 'noopener';
      link.textContent = r.title;
      item.appendChild(link);
      list.appendChild(item);
    });
    region.appendChild(heading);
    region.appendChild(list);
    region.hidden = false;
    seen.value = 'yes';
  }

  function lookUp() {
    var query = (subject.value + ' ' + body.value).trim();
    if (query.length < 4 || query === lastQuery) return;
    lastQuery = query;
    // Answers in the page's language: a Spanish page suggests the Spanish answers.
    var lang = document.documentElement.lang === 'es' ? 'es' : 'en';
    fetch('/api/faq/search?mode=any&limit=3&lang=' + lang + '&q=' + encodeURIComponent(query.slice(0, 500)), { headers: { Accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (query === lastQuery) render(data.results || []); })
      .catch(function () { /* suggestions are a convenience; the form still works */ });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 300);
  }

  subject.addEventListener('input', schedule);
  body.addEventListener('input', schedule);
  // The form may come back filled in (after a correction): suggest for what is already there.
  if (subject.value || body.value) lookUp();
})();
