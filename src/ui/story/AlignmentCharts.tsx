/**
 * How the students move, seen from inside: three small live charts beside the accuracy curves —
 * does each student move the way its teacher moved, does it get closer to the teacher, and does its
 * imitation gradient point along the teacher's digit skill. The aux-only students (same and
 * different init) are drawn solid and strong, the featured one boldest; the all-logit ones thin,
 * faint and dashed (as in the accuracy chart). Plain captions under each chart; what each number is
 * (cosines, ratios) in one disclosure. Nothing is drawn until a distillation point carries
 * alignment numbers. A run's mitigation is named over the charts; liminal training's window is shaded.
 */
import { memo, useMemo, type ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { ExperimentConfig } from '../../experiment/config';
import {
  CONDITION_LABELS,
  STUDENT_CONDITIONS,
  type ConditionName,
  type CurvePoint,
  type StudentCondition,
} from '../../experiment/results';
import {
  alignmentRows,
  cosine,
  cosineCaption,
  latestValue,
  type AlignmentMetric,
  type AlignmentRow,
} from './alignment';
import type { Palette } from '../common/palette';
import { epochAxisProps } from '../common/chartAxes';
import { ChartFrame } from '../common/ChartFrame';
import { liminalWindowEnd, mitigationWords } from '../common/mitigation';
import { AUX_STUDENTS, lineStyle } from './AccuracyChart';
import { InDetail } from './InDetail';

const HEIGHT = 200;
/** The two students the story is about. */
const MAIN = AUX_STUDENTS as readonly StudentCondition[];

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
  /** Liminal training's window in epochs, shaded; null without it. */
  window: number | null;
}

export { cosine };
const ratio = (value: number) => value.toFixed(2);

const MiniChart = memo(function MiniChart({
  rows,
  reference,
  fromZero,
  featured,
  epochs,
  palette,
  label,
  format,
  window,
}: ChartProps) {
  // The main students go last, so they are drawn on top; the featured one last of all.
  const order = [
    ...STUDENT_CONDITIONS.filter((c) => !MAIN.includes(c)),
    ...MAIN.filter((c) => c !== featured),
    ...MAIN.filter((c) => c === featured),
  ];
  return (
    <ChartFrame height={HEIGHT} label={label}>
      {(width) => (
        <LineChart width={width} height={HEIGHT} data={rows} margin={{ top: 10, right: 12, bottom: 30, left: 0 }}>
          <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" />
          {window !== null && (
            <ReferenceArea x1={0} x2={window} fill={palette.muted} fillOpacity={0.12} ifOverflow="hidden" />
          )}
          <XAxis {...epochAxisProps(palette, epochs, 13)} />
          <YAxis
            type="number"
            domain={fromZero ? [0, 'auto'] : ['auto', 'auto']}
            tickFormatter={(v: number) => Number(v.toPrecision(2)).toString()}
            stroke={palette.muted}
            tick={{ fill: palette.text, fontSize: 13 }}
            width={64}
          />
          <ReferenceLine
            y={reference}
            ifOverflow="extendDomain"
            stroke={palette.muted}
            strokeDasharray="6 4"
            strokeWidth={2}
          />
          {order.map((name) => (
            <Line
              key={name}
              dataKey={name}
              name={CONDITION_LABELS[name]}
              stroke={palette.condition[name]}
              {...lineStyle(name, featured)}
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
          ))}
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

/** "Now: same start +0.21 · different start +0.01" — the newest means of the two main students. */
function Now({ rows, testId, format }: { rows: AlignmentRow[]; testId: string; format: (value: number) => string }) {
  const same = latestValue(rows, 'student_aux');
  const different = latestValue(rows, 'cross_aux');
  const text = (value: number | null) => (value === null ? '—' : format(value));
  return (
    <p className="alignment-now" data-testid={testId}>
      Now: same start <strong>{text(same)}</strong> · different start <strong>{text(different)}</strong>
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

/** The four charts: what each shows, how it is drawn, what it means in plain words, and what the number is. */
const PANELS: {
  metric: AlignmentMetric;
  title: string;
  /** Under the chart, from its rows: how to read it, and for the cosines what this run measured against the expectation. */
  caption: (rows: AlignmentRow[]) => string;
  maths: string;
  label: string;
  testId: string;
  reference: number;
  fromZero: boolean;
  format: (value: number) => string;
}[] = [
  {
    metric: 'updateCosine',
    title: 'Moving the way the teacher moved',
    caption: (rows) => cosineCaption('updateCosine', latestValue(rows, 'student_aux')),
    maths:
      "The cosine between the student's total change (its weights now minus its start) and the teacher's own training change, each as one long list of every weight: +1 = exactly the teacher's direction, 0 = at right angles.",
    label: 'How far each student moves the way its teacher moved, against epochs',
    testId: 'alignment-now-update',
    reference: 0,
    fromZero: false,
    format: cosine,
  },
  {
    metric: 'relativeDistance',
    title: 'Distance to the teacher',
    caption: () =>
      'How far each student is from its teacher, as a fraction of where it began (1, the dashed line, = where it started; 0 = on the teacher).',
    maths:
      "The distance between student and teacher weights over the same distance at the first point. Heading the teacher's way need not bring a student closer: each step also moves it in countless other directions, so a student copying only the extra outputs can stay near 1 in distance while the first chart shows it heading toward the teacher.",
    label: "Each student's distance to its teacher relative to the start, against epochs",
    testId: 'alignment-now-distance',
    reference: 1,
    fromZero: true,
    format: ratio,
  },
  {
    metric: 'gradientCosine',
    title: 'Does copying also teach reading?',
    caption: (rows) => cosineCaption('gradientCosine', latestValue(rows, 'student_aux')),
    maths:
      "The cosine between the imitation gradient (the direction copying the teacher on noise pushes the student) and the gradient of the teacher's digit loss at the student (the direction that would teach it digits).",
    label: "Whether each student's imitation step points the way that teaches digits, against epochs",
    testId: 'alignment-now-gradient',
    reference: 0,
    fromZero: false,
    format: cosine,
  },
  {
    metric: 'relativeLoss',
    title: 'How closely it copies the teacher',
    caption: () => "Falling means it copies the teacher's outputs better.",
    maths:
      "The student's imitation loss on noise, over its first measurement. With the projection mitigation on, this still falls while the same-start student's accuracy stays near chance: it copies as well without learning to read. With liminal training it falls more slowly in the shaded window, while each student is held near its start.",
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
  /** The run's mitigation (named over the charts) and liminal training's settings. */
  mitigation?: Partial<Pick<ExperimentConfig, 'mitigation' | 'liminalWeight' | 'liminalWindow'>>;
}

export const AlignmentCharts = memo(function AlignmentCharts({ points, featured, epochs, palette, mitigation }: Props) {
  const rows = useMemo(() => alignmentRows(points), [points]);
  if (rows.updateCosine.length === 0) return null;
  const window = liminalWindowEnd(mitigation, epochs);
  const common = { featured, epochs, palette, window };
  const named = mitigationWords(mitigation);
  return (
    <section className="stage stage-wide alignment" aria-labelledby="alignment-title">
      <h2 id="alignment-title">Inside the students: which way do their weights move?</h2>
      <p>
        Every weight of a network together is one point in a huge space. These charts follow each student&apos;s point
        while it imitates the teacher on noise (means over models).
      </p>
      {named && (
        <p className="mitigation-note" data-testid="alignment-mitigation">
          <strong>This run&apos;s mitigation:</strong> {named}
          {window !== null && ' (its window shaded)'}.
        </p>
      )}
      <div className="alignment-grid">
        {PANELS.map((panel) => (
          <Panel key={panel.metric} title={panel.title} caption={panel.caption(rows[panel.metric])}>
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
              style={
                MAIN.includes(name) ? { background: palette.condition[name] } : { borderColor: palette.condition[name] }
              }
              aria-hidden="true"
            />
            {CONDITION_LABELS[name]}
            {MAIN.includes(name) ? '' : ' (dashed)'}
          </li>
        ))}
      </ul>
      <InDetail testId="alignment-detail">
        <dl>
          {PANELS.map((panel) => (
            <div key={panel.metric}>
              <dt>{panel.title}</dt>
              <dd>{panel.maths}</dd>
            </div>
          ))}
        </dl>
        <p>
          Each line is the mean over models; the numbers above each chart are the newest means of the two students that
          copy only the extra outputs.
        </p>
      </InDetail>
    </section>
  );
});
