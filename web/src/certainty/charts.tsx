import { number } from '../i18n/format';

/**
 * Plain SVG charts (no chart library: a few rectangles and labels cost less than any dependency). Every chart has
 * a text alternative: role="img" with a label, and the numbers in a table next to it for screen readers.
 */
export interface Series {
  key: string;
  label: string;
  color: string;
}

/** Stacked bars per category (e.g. per day); x labels are thinned out so they never overlap. */
export function StackedBars({ title, categories, series, values, height = 200 }: { title: string; categories: string[]; series: Series[]; values: Array<Record<string, number>>; height?: number }) {
  const width = 640;
  const pad = { top: 10, right: 8, bottom: 28, left: 36 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const totals = values.map((v) => series.reduce((a, s) => a + (v[s.key] ?? 0), 0));
  const max = niceMax(Math.max(1, ...totals));
  const step = innerW / Math.max(1, categories.length);
  const barW = Math.max(2, Math.min(28, step * 0.7));
  const every = Math.ceil(categories.length / 8);
  const ticks = Number.isInteger(max / 2) ? [0, max / 2, max] : [0, max];
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} preserveAspectRatio="xMidYMid meet">
      {ticks.map((tk) => {
        const y = pad.top + innerH - (tk / max) * innerH;
        return (
          <g key={tk}>
            <line x1={pad.left} x2={width - pad.right} y1={y} y2={y} className="chart-grid" />
            <text x={pad.left - 6} y={y + 4} textAnchor="end" className="chart-axis">
              {number(tk)}
            </text>
          </g>
        );
      })}
      {categories.map((c, i) => {
        let y = pad.top + innerH;
        const x = pad.left + i * step + (step - barW) / 2;
        return (
          <g key={c} data-category={c}>
            {series.map((s) => {
              const v = values[i]?.[s.key] ?? 0;
              if (!v) return null;
              const h = (v / max) * innerH;
              y -= h;
              return (
                <rect key={s.key} x={x} y={y} width={barW} height={h} fill={s.color} data-series={s.key}>
                  <title>{`${c} · ${s.label}: ${number(v)}`}</title>
                </rect>
              );
            })}
            {i % every === 0 ? (
              <text x={x + barW / 2} y={height - 10} textAnchor="middle" className="chart-axis">
                {c}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

/** One horizontal bar per row, with a second (overlaid, darker) share inside it: e.g. volume and repeat contacts. */
export function SplitBars({ title, rows }: { title: string; rows: Array<{ key: string; label: string; parts: Array<{ value: number; color: string; label: string }> }> }) {
  const width = 640;
  const rowH = 26;
  const labelW = 200;
  const height = rows.length * rowH + 4;
  const max = niceMax(Math.max(1, ...rows.map((r) => r.parts.reduce((a, p) => a + p.value, 0))));
  const innerW = width - labelW - 56;
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} preserveAspectRatio="xMidYMid meet">
      {rows.map((r, i) => {
        const y = i * rowH + 4;
        let x = labelW;
        const total = r.parts.reduce((a, p) => a + p.value, 0);
        return (
          <g key={r.key} data-row={r.key}>
            <text x={labelW - 8} y={y + 15} textAnchor="end" className="chart-label">
              {r.label.length > 28 ? `${r.label.slice(0, 27)}…` : r.label}
            </text>
            {r.parts.map((p, j) => {
              const w = (p.value / max) * innerW;
              const rect = (
                <rect key={j} x={x} y={y} width={Math.max(0, w)} height={rowH - 8} fill={p.color}>
                  <title>{`${r.label} · ${p.label}: ${number(p.value)}`}</title>
                </rect>
              );
              x += w;
              return rect;
            })}
            <text x={x + 6} y={y + 15} className="chart-axis">
              {number(total)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function Legend({ series }: { series: Series[] }) {
  return (
    <ul className="chart-legend">
      {series.map((s) => (
        <li key={s.key}>
          <span className="chart-swatch" style={{ background: s.color }} aria-hidden="true" />
          {s.label}
        </li>
      ))}
    </ul>
  );
}

/** 1, 2, 5 × 10ⁿ: round axis maxima that halve into round ticks. */
export function niceMax(v: number): number {
  const exp = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) if (v <= m * exp) return m * exp;
  return 10 * exp;
}
