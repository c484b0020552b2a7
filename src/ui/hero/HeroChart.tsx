/**
 * The featured chart of the first screen: the teacher's test accuracy while it learns, then the two
 * aux-only students' (same start vs different start) while they copy it on noise, against chance.
 * The switch's student is the boldest line; the other is still strong, so the contrast that carries
 * the message is the clearest thing on the chart. The chart fills the box CSS gives it (taller on a
 * projector), and its text is sized in rem so it grows with the page (1rem: legible from the back
 * of a room in presenter mode). The region labels shorten on a narrow chart rather than overprint.
 */
import { memo, useMemo, type ComponentProps } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, XAxis, YAxis } from 'recharts';
import type { CurvePoint } from '../../experiment/results';
import { CHANCE } from '../common/chartAxes';
import { FALLBACK_WIDTH, useBoxSize } from '../common/ChartFrame';
import { percent } from '../common/format';
import type { Palette } from '../common/palette';
import { HERO_LABELS, HeroLegend, type Student } from './HeroLegend';
import { heroRows, lastValues, type FinalMeans } from './heroRows';
import { regionLabels, remPx } from './regionLabels';

interface Props {
  teacher: readonly CurvePoint[];
  distill: readonly CurvePoint[];
  teacherEpochs: number;
  studentEpochs: number;
  featured: Student;
  palette: Palette;
  /** The final test numbers, once known: each line ends on its own. */
  final?: FinalMeans | null;
}

/** Used before a measurement, and in tests where nothing has a layout. */
const FALLBACK = { width: FALLBACK_WIDTH, height: 300 };
const TEXT = '1rem';
/** Room for "100%" at the chart's text size, in rem. */
const Y_AXIS_REM = 3.4;
const MARGIN = { top: 30, right: 20, bottom: 6, left: 0 };
/** Before the first point: one invisible value at chance, so axes, grid and chance line are drawn all the same (recharts draws no y axis without a value). */
const EMPTY = [{ x: 0, placeholder: CHANCE }];

/**
 * The shaded region of the teacher or of the students, with its label when it fits: props to spread
 * on recharts' own ReferenceArea (recharts reads its children by type, so they cannot be wrapped).
 */
function regionProps(
  x1: number,
  x2: number,
  fill: string,
  fillOpacity: number,
  label: string | null,
  palette: Palette,
) {
  return {
    x1,
    x2,
    fill,
    fillOpacity,
    ifOverflow: 'visible' as const,
    label:
      label === null
        ? undefined
        : { value: label, position: 'insideTop' as const, fill: palette.muted, fontSize: TEXT, offset: -24 },
  };
}

/** Time, marked only where the teacher starts and ends and where the students end: XAxis props. */
function timeAxisProps(teacherEpochs: number, end: number, palette: Palette): ComponentProps<typeof XAxis> {
  return {
    type: 'number',
    dataKey: 'x',
    domain: [0, end],
    ticks: [0, teacherEpochs, end],
    tick: { fill: palette.text, fontSize: TEXT },
    stroke: palette.muted,
    tickFormatter: (x: number) => (x === 0 ? 'start' : x === teacherEpochs ? 'teacher done' : 'end'),
  };
}

/** Accuracy, 0–100%, in an axis as wide as "100%" at the chart's text size: YAxis props. */
function accuracyAxisProps(width: number, palette: Palette): ComponentProps<typeof YAxis> {
  return {
    domain: [0, 1],
    ticks: [0, 0.25, 0.5, 0.75, 1],
    tickFormatter: (v: number) => percent(v),
    tick: { fill: palette.text, fontSize: TEXT },
    stroke: palette.muted,
    width,
  };
}

export const HeroChart = memo(function HeroChart({
  teacher,
  distill,
  teacherEpochs,
  studentEpochs,
  featured,
  palette,
  final,
}: Props) {
  const [box, measured] = useBoxSize<HTMLDivElement>();
  // Before a measurement (and in tests, where nothing has a layout), a plausible size.
  const { width, height } = measured.width > 0 && measured.height > 0 ? measured : FALLBACK;
  const rows = useMemo(
    () => heroRows(teacher, distill, teacherEpochs, final),
    [teacher, distill, teacherEpochs, final],
  );
  const last = lastValues(rows);
  const end = teacherEpochs + studentEpochs;
  const other: Student = featured === 'student_aux' ? 'cross_aux' : 'student_aux';
  const rem = remPx();
  const yAxisWidth = Math.round(Y_AXIS_REM * rem);
  const regions = regionLabels(width - MARGIN.left - MARGIN.right - yAxisWidth, teacherEpochs / end, rem);
  const line = (name: Student | 'teacher', strokeWidth: number) => (
    <Line
      key={name}
      dataKey={name}
      name={HERO_LABELS[name]}
      stroke={palette.condition[name]}
      strokeWidth={strokeWidth}
      dot={false}
      connectNulls
      isAnimationActive={false}
    />
  );
  const described = `Test accuracy over time: the teacher while it learns digits, then the student with the same start and the one with a different start while they copy the teacher on noise. The ${HERO_LABELS[featured].toLowerCase()} student is highlighted.`;
  return (
    <figure
      className="hero-chart"
      data-testid="hero-chart"
      data-featured={featured}
      data-last-teacher={last.teacher}
      data-last-same={last.student_aux}
      data-last-different={last.cross_aux}
      data-models={distill.at(-1)?.accuracy.student_aux?.length ?? teacher.at(-1)?.accuracy.teacher?.length}
    >
      <div ref={box} className="hero-chart-box" role="img" aria-label={described}>
        <LineChart width={width} height={height} data={rows.length > 0 ? rows : EMPTY} margin={MARGIN}>
          <ReferenceArea
            {...regionProps(0, teacherEpochs, palette.condition.teacher, 0.06, regions.teacher, palette)}
          />
          <ReferenceArea
            {...regionProps(teacherEpochs, end, palette.condition.student_aux, 0.04, regions.students, palette)}
          />
          <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis {...timeAxisProps(teacherEpochs, end, palette)} />
          <YAxis {...accuracyAxisProps(yAxisWidth, palette)} />
          <ReferenceLine y={CHANCE} stroke={palette.chance} strokeDasharray="8 5" strokeWidth={3} />
          <Line
            dataKey="placeholder"
            stroke="none"
            dot={false}
            isAnimationActive={false}
            legendType="none"
            tooltipType="none"
          />
          {line('teacher', 4)}
          {line(other, 4.5)}
          {line(featured, 8)}
        </LineChart>
      </div>
      <HeroLegend featured={featured} other={other} palette={palette} />
    </figure>
  );
});
