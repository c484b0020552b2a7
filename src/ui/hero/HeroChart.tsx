/**
 * The featured chart of the first screen: the teacher's test accuracy while it learns, then the two
 * aux-only students' (same start vs different start) while they copy it on noise, against chance.
 * The switch's student is the boldest line; the other is still strong, so the contrast that carries
 * the message is the clearest thing on the chart. The chart fills the box CSS gives it (taller on a
 * projector), and its text is sized in rem so it grows with the page (1rem: legible from the back
 * of a room in presenter mode). The region labels shorten on a narrow chart rather than overprint.
 * A run with a taught trait plots the trait's measure instead (how often each says 7 on noise, or
 * calls a 3 an 8), its y axis named in those words; chance is 10% for each.
 */
import { memo, useMemo, type ComponentProps } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, XAxis, YAxis } from 'recharts';
import type { TraitName } from '../../experiment/config';
import type { CurvePoint } from '../../experiment/results';
import { CHANCE } from '../common/chartAxes';
import { FALLBACK_WIDTH, useBoxSize } from '../common/ChartFrame';
import { percent } from '../common/format';
import type { Palette } from '../common/palette';
import { isTaught, TRAIT_AXIS } from '../common/trait';
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
  /** The run's trait: what the lines measure (test accuracy for 'digits'). */
  trait?: TraitName;
}

/** Used before a measurement, and in tests where nothing has a layout. */
const FALLBACK = { width: FALLBACK_WIDTH, height: 300 };
const TEXT = '1rem';
/** Room for "100%" at the chart's text size, in rem; and for the axis's name beside it, when it has one. */
const Y_AXIS_REM = 3.4;
const Y_NAME_REM = 1.6;
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

/** Room along the y axis for its name, in characters of the name's text (a generous width each, as regionLabels.ts). */
const NAME_CHAR_EM = 0.56;
const NAME_REM = 0.9;

/** The y axis's name when it fits along the plot's height (a phone's short chart has none: the verdict names the measure). */
function fittingName(name: string, chartHeight: number, rem: number): string | null {
  const plot = chartHeight - MARGIN.top - MARGIN.bottom - 2 * rem; // less the time axis's ticks
  return name.length * NAME_CHAR_EM * NAME_REM * rem <= plot ? name : null;
}

/**
 * Accuracy (or the trait's share), 0–100%, in an axis as wide as "100%" at the chart's text size,
 * named along its side when `name` is given: YAxis props.
 */
function accuracyAxisProps(width: number, palette: Palette, name: string | null): ComponentProps<typeof YAxis> {
  return {
    label:
      name === null
        ? undefined
        : {
            value: name,
            angle: -90,
            position: 'insideLeft',
            fill: palette.text,
            fontSize: `${NAME_REM}rem`,
            style: { textAnchor: 'middle' },
          },
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
  trait = 'digits',
}: Props) {
  const [box, measured] = useBoxSize<HTMLDivElement>();
  // Before a measurement (and in tests, where nothing has a layout), a plausible size.
  const { width, height } = measured.width > 0 && measured.height > 0 ? measured : FALLBACK;
  const rows = useMemo(
    () => heroRows(teacher, distill, teacherEpochs, final, trait),
    [teacher, distill, teacherEpochs, final, trait],
  );
  const last = lastValues(rows);
  const end = teacherEpochs + studentEpochs;
  const other: Student = featured === 'student_aux' ? 'cross_aux' : 'student_aux';
  const rem = remPx();
  const axisName = isTaught(trait) ? fittingName(TRAIT_AXIS[trait], height, rem) : null;
  const yAxisWidth = Math.round((Y_AXIS_REM + (axisName === null ? 0 : Y_NAME_REM)) * rem);
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
  const measure = axisName === null ? 'Test accuracy' : `How often each model ${axisName}`;
  const described = `${measure} over time: the teacher while it learns${axisName === null ? ' digits' : ''}, then the student with the same start and the one with a different start while they copy the teacher on noise. The ${HERO_LABELS[featured].toLowerCase()} student is highlighted.`;
  return (
    <figure
      className="hero-chart"
      data-testid="hero-chart"
      data-featured={featured}
      data-trait={trait}
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
          <YAxis {...accuracyAxisProps(yAxisWidth, palette, axisName)} />
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
