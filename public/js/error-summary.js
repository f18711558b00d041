// After a form comes back with errors, moves focus to the error summary, so that keyboard and
// screen-reader users start from the list of problems (each links to its field).
(function () {
  'use strict';
  var summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();
})();
