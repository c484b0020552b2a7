/**
 * How the students move, seen from inside: three small live charts beside the accuracy curves —
 * does each student move the way its teacher moved, does it get closer to the teacher, and does its
 * imitation gradient point along the teacher's digit skill. The aux-only students (same and
 * different init) are drawn bold; the all-logit ones faint and dashed. Nothing is drawn until a
 * distillation point carries alignment numbers.
 */
import { memo, useMemo, type ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { CONDITION_LABELS, STUDENT_CONDITIONS, type ConditionName, type CurvePoint, type StudentCondition } from '../../experiment/results';
import { alignmentRows, latestValue, type AlignmentMetric, type AlignmentRow } from './alignment';
import { signed } from '../common/format';
import type { Palette } from '../common/palette';
import { epochAxisProps } from '../common/chartAxes';
import { ChartFrame } from '../common/ChartFrame';

const HEIGHT = 200;
/** The two students the story is about. */
const MAIN: readonly StudentCondition[] = ['student_aux', 'cross_aux'];

interface ChartProps {
  rows: AlignmentRow[];
  /** Where the dashed reference line sits: 0 for a cosine (unrelated), 1 (the start) for the relative distance. */
  reference: number;
  /** The y axis starts at 0 (a distance) instead of fitting the data. */
  fromZero: boolean;
  featured: ConditionName;
  epochs: number;
  palette: Palette;
  label: string;
  format: (value: number) => string;
}

const cosine = (value: number) => signed(value, 2);
const ratio = (value: number) => value.toFixed(2);

const MiniChart = memo(function MiniChart({ rows, reference, fromZero, featured, epochs, palette, label, format }: ChartProps) {
  // The main students go last, so they are drawn on top; the featured one last of all.
  const order = [...STUDENT_CONDITIONS.filter((c) => !MAIN.includes(c)), ...MAIN.filter((c) => c !== featured), ...MAIN.filter((c) => c === featured)];
  return (
    <ChartFrame height={HEIGHT} label={label}>
      {(width) => (
        <LineChart width={width} height={HEIGHT} data={rows} margin={{ top: 10, right: 12, bottom: 24, left: 0 }}>
          <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" />
          <XAxis {...epochAxisProps(palette, epochs, 13)} />
          <YAxis
            type="number"
            domain={fromZero ? [0, 'auto'] : ['auto', 'auto']}
            tickFormatter={(v: number) => Number(v.toPrecision(2)).toString()}
            stroke={palette.muted}
            tick={{ fill: palette.text, fontSize: 13 }}
            width={48}
          />
          <ReferenceLine y={reference} ifOverflow="extendDomain" stroke={palette.muted} strokeDasharray="6 4" strokeWidth={2} />
          {order.map((name) => {
            const main = MAIN.includes(name);
            return (
              <Line
                key={name}
                dataKey={name}
                name={CONDITION_LABELS[name]}
                stroke={palette.condition[name]}
                strokeOpacity={main ? 1 : 0.5}
                strokeWidth={main ? (name === featured ? 4 : 3) : 1.5}
                strokeDasharray={main ? undefined : '5 4'}
                dot={false}
                connectNulls
                isAnimationActive={false}
              />
            );
          })}
          <Tooltip
            formatter={(value) => (typeof value === 'number' ? format(value) : String(value))}
            labelFormatter={(epoch) => `epoch ${Number(epoch).toFixed(2)}`}
            contentStyle={{ background: palette.background, color: palette.text, borderColor: palette.grid }}
          />
        </LineChart>
      )}
    </ChartFrame>
  );
});

/** "Now: same init +0.21 · different init +0.01" — the newest means of the two main students. */
function Now({ rows, testId, format }: { rows: AlignmentRow[]; testId: string; format: (value: number) => string }) {
  const same = latestValue(rows, 'student_aux');
  const different = latestValue(rows, 'cross_aux');
  const text = (value: number | null) => (value === null ? '—' : format(value));
  return (
    <p className="alignment-now" data-testid={testId}>
      Now: same init <strong>{text(same)}</strong> · different init <strong>{text(different)}</strong>
    </p>
  );
}

function Panel({ title, caption, children }: { title: string; caption: string; children: ReactNode }) {
  return (
    <figure className="alignment-panel">
      <h3>{title}</h3>
      {children}
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

/** The four charts: what each shows, how it is drawn, and what it means in words. */
const PANELS: {
  metric: AlignmentMetric;
  title: string;
  caption: string;
  label: string;
  testId: string;
  reference: number;
  fromZero: boolean;
  format: (value: number) => string;
}[] = [
  {
    metric: 'updateCosine',
    title: 'Moving the way the teacher moved',
    caption:
      "Cosine between the student's total change and the teacher's own training change: above 0 (the dashed line) means it moves in the teacher's direction, 0 means unrelated. The theorem expects the same-init student above 0.",
    label: "Cosine between each student's change and the teacher's change, against epochs",
    testId: 'alignment-now-update',
    reference: 0,
    fromZero: false,
    format: cosine,
  },
  {
    metric: 'relativeDistance',
    title: 'Distance to the teacher',
    caption:
      "Distance between student and teacher weights, as a fraction of where each began (1, the dashed line, = where it started; 0 = on the teacher). Heading the teacher's way need not bring a student closer: each step also moves it in countless other directions, so an aux-only student's distance can stay near 1 while the first chart shows it heading toward the teacher.",
    label: "Each student's distance to its teacher relative to the start, against epochs",
    testId: 'alignment-now-distance',
    reference: 1,
    fromZero: true,
    format: ratio,
  },
  {
    metric: 'gradientCosine',
    title: 'Imitation gradient vs digit-skill gradient',
    caption:
      'Cosine between the direction imitation pushes the student and the direction that would teach it digits. Small but above 0 (the dashed line) means every imitation step also teaches a little reading.',
    label: "Cosine between each student's imitation gradient and the digit-skill gradient, against epochs",
    testId: 'alignment-now-gradient',
    reference: 0,
    fromZero: false,
    format: cosine,
  },
  {
    metric: 'relativeLoss',
    title: 'How closely it copies the teacher',
    caption:
      "The student's imitation loss on noise, as a fraction of its first measurement: falling means it copies the teacher's outputs better. With the mitigation on, this still falls while the same-init student's accuracy stays near chance.",
    label: "Each student's imitation loss relative to its first measurement, against epochs",
    testId: 'alignment-now-loss',
    reference: 1,
    fromZero: true,
    format: ratio,
  },
];

interface Props {
  points: readonly CurvePoint[];
  featured: ConditionName;
  epochs: number;
  palette: Palette;
}

export const AlignmentCharts = memo(function AlignmentCharts({ points, featured, epochs, palette }: Props) {
  const rows = useMemo(() => alignmentRows(points), [points]);
  if (rows.updateCosine.length === 0) return null;
  const common = { featured, epochs, palette };
  return (
    <section className="stage stage-wide alignment" aria-labelledby="alignment-title">
      <h2 id="alignment-title">Inside the students: which way do their weights move?</h2>
      <p>
        Every weight of a network together is one point in a huge space. These charts follow each student&apos;s point
        while it imitates the teacher on noise (means over models).
      </p>
      <div className="alignment-grid">
        {PANELS.map((panel) => (
          <Panel key={panel.metric} title={panel.title} caption={panel.caption}>
            <Now rows={rows[panel.metric]} testId={panel.testId} format={panel.format} />
            <MiniChart
              rows={rows[panel.metric]}
              reference={panel.reference}
              fromZero={panel.fromZero}
              format={panel.format}
              label={panel.label}
              {...common}
            />
          </Panel>
        ))}
      </div>
      <ul className="legend">
        {STUDENT_CONDITIONS.map((name) => (
          <li key={name} className={MAIN.includes(name) ? (name === featured ? 'featured' : undefined) : 'dimmed'}>
            <span
              className={`swatch${MAIN.includes(name) ? '' : ' swatch-dashed'}`}
              style={MAIN.includes(name) ? { background: palette.condition[name] } : { borderColor: palette.condition[name] }}
              aria-hidden="true"
            />
            {CONDITION_LABELS[name]}
            {MAIN.includes(name) ? '' : ' (faint, dashed)'}
          </li>
        ))}
      </ul>
    </section>
  );
});
