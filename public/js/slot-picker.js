// The callback slot picker with JavaScript: the month becomes one keyboard grid (arrow keys move by
// day, Home/End to the ends of the week, Page Up/Page Down by month, one Tab stop) and choosing a day
// loads its times in place, so what was typed in the form stays. Without this script the same page
// works with links (?day=, ?month=); this script fetches those same pages and takes the picker from them.
(function () {
  'use strict';
  if (!window.fetch || !window.DOMParser || !document.querySelector('[data-slot-picker]')) return;

  var status = null;
  var pending = null;

  /** Says what is happening in a live region, made at first use (so a page has no empty one). */
  function say(text) {
    if (!status) {
      status = document.createElement('p');
      status.className = 'visually-hidden';
      status.setAttribute('role', 'status');
      document.querySelector('[data-slot-picker]').insertAdjacentElement('afterend', status);
    }
    status.textContent = '';
    clearTimeout(pending);
    // Text set a moment later is announced, even by a region just made or when the words repeat.
    if (text)
      pending = setTimeout(function () {
        status.textContent = text;
      }, 100);
  }

  function addDays(iso, days) {
    var p = iso.split('-').map(Number);
    return new Date(Date.UTC(p[0], p[1] - 1, p[2] + days)).toISOString().slice(0, 10);
  }

  function addMonths(iso, months) {
    var p = iso.split('-').map(Number);
    var last = new Date(Date.UTC(p[0], p[1] - 1 + months + 1, 0)).getUTCDate();
    return new Date(Date.UTC(p[0], p[1] - 1 + months, Math.min(p[2], last))).toISOString().slice(0, 10);
  }

  function picker() {
    return document.querySelector('[data-slot-picker]');
  }

  /** The element that takes focus for a date: its link when bookable, else the cell itself. */
  function target(date) {
    var cell = picker().querySelector('td[data-date="' + date + '"]');
    return cell ? cell.querySelector('a') || cell : null;
  }

  function makeActive(el, focus) {
    picker()
      .querySelectorAll('.month-grid [tabindex="0"]')
      .forEach(function (x) {
        x.setAttribute('tabindex', '-1');
      });
    el.setAttribute('tabindex', '0');
    if (focus) el.focus();
  }

  /** Fetches the same page for another day or month and puts its picker in place of this one. */
  function load(href, then) {
    var current = picker();
    var url = new URL(href, window.location.href);
    current.setAttribute('aria-busy', 'true');
    say(current.getAttribute('data-loading'));
    fetch(url.toString(), { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.querySelector('[data-slot-picker]');
        if (!fresh) throw new Error('no picker in the page');
        current.replaceWith(document.importNode(fresh, true));
        // Parts of the form that wait for a day (the details, the submit button) follow the page.
        doc.querySelectorAll('[data-after-day]').forEach(function (part) {
          var here = document.getElementById(part.id);
          if (here) here.hidden = part.hidden;
        });
        window.history.replaceState(null, '', url.pathname + url.search);
        // The language switch leads to this same day or month in the other language.
        document.querySelectorAll('a[hreflang]').forEach(function (link) {
          var other = new URL(url.toString());
          other.searchParams.set('lang', link.getAttribute('hreflang'));
          link.setAttribute('href', other.pathname + other.search);
        });
        say('');
        enhance();
        then();
      })
      .catch(function () {
        say(current.getAttribute('data-load-failed'));
        window.location.href = url.toString();
      });
  }

  function chooseDay(link) {
    load(link.getAttribute('href'), function () {
      var legend = document.getElementById('times-legend');
      if (legend) legend.focus();
    });
  }

  /** Shows another month (Page Up/Down, the previous/next links, an arrow past the month's edge). */
  function showMonth(href, focusDate) {
    load(href, function () {
      var details = picker().querySelector('[data-another-day]');
      if (details) details.open = true;
      var el = (focusDate && target(focusDate)) || picker().querySelector('.month-grid [tabindex="0"]');
      if (el) makeActive(el, true);
    });
  }

  function monthHref(month) {
    var day = picker().querySelector('input[name="day"]').value;
    return '?month=' + month + (day ? '&day=' + day : '');
  }

  function onKey(event) {
    var cell = event.target.closest('td[data-date]');
    if (!cell) return;
    var date = cell.getAttribute('data-date');
    var weekday = cell.cellIndex;
    var next;
    switch (event.key) {
      case 'ArrowLeft':
        next = addDays(date, -1);
        break;
      case 'ArrowRight':
        next = addDays(date, 1);
        break;
      case 'ArrowUp':
        next = addDays(date, -7);
        break;
      case 'ArrowDown':
        next = addDays(date, 7);
        break;
      case 'Home':
        next = addDays(date, -weekday);
        break;
      case 'End':
        next = addDays(date, 6 - weekday);
        break;
      case 'PageUp':
        next = addMonths(date, -1);
        break;
      case 'PageDown':
        next = addMonths(date, 1);
        break;
      case ' ':
      case 'Enter': {
        var link = cell.querySelector('a');
        event.preventDefault();
        if (link) chooseDay(link);
        return;
      }
      default:
        return;
    }
    event.preventDefault();
    var el = target(next);
    if (el) return makeActive(el, true);
    // Another month: only when the picker offers it (a previous/next link is there).
    var way = next < date ? 'previous' : 'next';
    if (picker().querySelector('[data-month-link="' + way + '"]')) showMonth(monthHref(next.slice(0, 7)), next);
  }

  function enhance() {
    var root = picker();
    var grid = root.querySelector('.month-grid');
    if (grid) {
      grid.setAttribute('role', 'grid');
      var help = root.querySelector('#grid-help');
      if (help) {
        help.hidden = false;
        grid.setAttribute('aria-describedby', 'grid-help');
      }
      grid.querySelectorAll('tr').forEach(function (row) {
        row.setAttribute('role', 'row');
      });
      grid.querySelectorAll('th').forEach(function (th) {
        th.setAttribute('role', 'columnheader');
      });
      grid.querySelectorAll('td').forEach(function (td) {
        td.setAttribute('role', 'gridcell');
        if (!td.hasAttribute('data-date')) return;
        var link = td.querySelector('a');
        if (link) {
          link.setAttribute('tabindex', '-1');
          if (td.classList.contains('chosen')) td.setAttribute('aria-selected', 'true');
        } else {
          td.setAttribute('tabindex', '-1');
        }
      });
      var start =
        grid.querySelector('td.chosen a') ||
        grid.querySelector('td.today a') ||
        grid.querySelector('td.bookable a') ||
        grid.querySelector('td[data-date]');
      if (start) start.setAttribute('tabindex', '0');
      grid.addEventListener('keydown', onKey);
      grid.addEventListener('click', function (event) {
        var link = event.target.closest('a[data-day]');
        if (!link) return;
        event.preventDefault();
        chooseDay(link);
      });
    }
    root.querySelectorAll('[data-month-link]').forEach(function (link) {
      link.addEventListener('click', function (event) {
        event.preventDefault();
        var way = link.getAttribute('data-month-link');
        load(link.getAttribute('href'), function () {
          var details = picker().querySelector('[data-another-day]');
          if (details) details.open = true;
          var same = picker().querySelector('[data-month-link="' + way + '"]');
          var el = same || picker().querySelector('.month-grid [tabindex="0"]');
          if (el) el.focus();
        });
      });
    });
    var chosen = root.querySelector('#chosen-time');
    root.querySelectorAll('input[name="start"]').forEach(function (radio) {
      radio.addEventListener('change', function () {
        if (radio.checked && chosen)
          chosen.textContent = chosen.getAttribute('data-template').replace('%s', radio.getAttribute('data-label'));
      });
    });
  }

  enhance();
})();
