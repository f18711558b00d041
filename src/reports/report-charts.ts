/**
 * The reports' charts, drawn on the server as SVG (SPEC §13): columns stacked by series (per day, per
 * hour) and horizontal bars (per topic, per reason). A handful of rectangles and labels, so written
 * here rather than taken from a charting library; colours come from classes (public/css/reports.css),
 * which the page's legends share. Each chart is named for screen readers; its numbers are in the table
 * beside it.
 */

const WIDTH = 480;
const FONT = 12;

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const round = (n: number) => Math.round(n * 100) / 100;

/** A scale's top and step: 1, 2 or 5 times a power of ten, with at most five steps up to the largest value. */
export function niceScale(largest: number): { top: number; step: number } {
  if (largest <= 0) return { top: 1, step: 1 };
  for (let power = 1; ; power *= 10)
    for (const factor of [1, 2, 5]) {
      const step = factor * power;
      if (largest / step <= 5) return { top: Math.ceil(largest / step) * step, step };
    }
}

const number = (n: number) => n.toLocaleString('en-US');

function svg(label: string, height: number, body: string[]): string {
  return [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${escapeXml(label)}" focusable="false">`,
    ...body,
    '</svg>',
  ].join('\n');
}

export interface ColumnChart {
  /** What the chart shows, for screen readers (its numbers are in the table beside it). */
  label: string;
  series: Array<{ key: string; name: string }>;
  /** One column per day or hour: a value per series, stacked from the bottom in the order of `series`. */
  columns: number[][];
  /** Columns named under the axis (index and text); minor ones are left out on a narrow screen. */
  ticks: Array<{ index: number; text: string; minor?: boolean }>;
}

/** Stacked columns over a value scale, with gridlines and the named columns under the axis. */
export function columnChart(chart: ColumnChart): string {
  const height = 220;
  const left = 44;
  const top = 10;
  const plotWidth = WIDTH - left - 6;
  const plotHeight = height - top - 28;
  const largest = Math.max(0, ...chart.columns.map((values) => values.reduce((sum, v) => sum + v, 0)));
  const scale = niceScale(largest);
  const body: string[] = [];
  for (let value = 0; value <= scale.top; value += scale.step) {
    const y = round(top + plotHeight - (value / scale.top) * plotHeight);
    body.push(`<line class="grid" x1="${left}" x2="${WIDTH - 6}" y1="${y}" y2="${y}"/>`);
    body.push(`<text x="${left - 6}" y="${round(y + FONT / 3)}" text-anchor="end" font-size="${FONT}">${number(value)}</text>`);
  }
  const width = plotWidth / Math.max(1, chart.columns.length);
  // Columns a few units wide or more get a gap between them; thinner ones touch.
  const bar = width >= 4 ? width * 0.75 : width;
  // A thin line between stacked parts, where columns are wide enough to show it.
  const edge = width >= 4 ? ' stroke="#fff" stroke-width="0.5"' : '';
  chart.columns.forEach((values, i) => {
    let base = top + plotHeight;
    values.forEach((value, k) => {
      if (value <= 0) return;
      const h = (value / scale.top) * plotHeight;
      base -= h;
      body.push(
        `<rect class="series-${chart.series[k].key}" x="${round(left + i * width + (width - bar) / 2)}" y="${round(base)}" width="${round(bar)}" height="${round(h)}"${edge}/>`,
      );
    });
  });
  body.push(`<line class="axis" x1="${left}" x2="${WIDTH - 6}" y1="${top + plotHeight}" y2="${top + plotHeight}"/>`);
  for (const tick of chart.ticks) {
    const x = round(left + (tick.index + 0.5) * width);
    body.push(`<line class="axis" x1="${x}" x2="${x}" y1="${top + plotHeight}" y2="${top + plotHeight + 4}"/>`);
    body.push(
      `<text${tick.minor ? ' class="tick-minor"' : ''} x="${x}" y="${top + plotHeight + 18}" text-anchor="middle" font-size="${FONT}">${escapeXml(tick.text)}</text>`,
    );
  }
  return svg(chart.label, height, body);
}

export interface BarChart {
  label: string;
  rows: Array<{ text: string; value: number }>;
}

/** Horizontal bars, one per row: its name above, its value at its end. */
export function barChart(chart: BarChart): string {
  const rowHeight = 44;
  const room = WIDTH - 70;
  const largest = Math.max(1, ...chart.rows.map((r) => r.value));
  const body: string[] = [];
  chart.rows.forEach((row, i) => {
    const y = i * rowHeight;
    const length = row.value > 0 ? Math.max(1, (row.value / largest) * room) : 0;
    body.push(`<text class="bar-label" x="0" y="${y + 17}" font-size="${FONT + 1}">${escapeXml(row.text)}</text>`);
    if (length > 0) body.push(`<rect class="bar" x="0" y="${y + 23}" width="${round(length)}" height="14"/>`);
    body.push(`<text class="bar-value" x="${round(length + 6)}" y="${y + 35}" font-size="${FONT}">${number(row.value)}</text>`);
  });
  return svg(chart.label, Math.max(rowHeight, chart.rows.length * rowHeight), body);
}
