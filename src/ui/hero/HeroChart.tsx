/**
 * The featured chart of the first screen: the teacher's test accuracy while it learns, then the two
 * aux-only students' (same start vs different start) while they copy it on noise, against chance.
 * The switch's student is the boldest line; the other is still strong, so the contrast that carries
 * the message is the clearest thing on the chart. The chart fills the box CSS gives it (taller on a
 * projector), and its text is sized in rem so it grows with the page (1rem: legible from the back
 * of a room in presenter mode). The region labels shorten on a narrow chart rather than overprint.
 */
import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, XAxis, YAxis } from 'recharts';
import type { CurvePoint } from '../../experiment/results';
import { CHANCE } from '../common/chartAxes';
import { FALLBACK_WIDTH, useBoxSize } from '../common/ChartFrame';
import { percent } from '../common/format';
import type { Palette } from '../common/palette';
import { heroRows, lastValues, type FinalMeans } from './heroRows';
import { regionLabels, remPx } from './regionLabels';

type Student = 'student_aux' | 'cross_aux';

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

const LABELS: Record<Student | 'teacher', string> = {
  teacher: 'Teacher',
  student_aux: 'Same start',
  cross_aux: 'Different start',
};

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
  const regionLabel = (value: string | null) =>
    value === null
      ? undefined
      : { value, position: 'insideTop' as const, fill: palette.muted, fontSize: TEXT, offset: -24 };
  const line = (name: Student | 'teacher', strokeWidth: number) => (
    <Line
      key={name}
      dataKey={name}
      name={LABELS[name]}
      stroke={palette.condition[name]}
      strokeWidth={strokeWidth}
      dot={false}
      connectNulls
      isAnimationActive={false}
    />
  );
  const tick = { fill: palette.text, fontSize: TEXT };
  const described = `Test accuracy over time: the teacher while it learns digits, then the student with the same start and the one with a different start while they copy the teacher on noise. The ${LABELS[featured].toLowerCase()} student is highlighted.`;
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
            x1={0}
            x2={teacherEpochs}
            fill={palette.condition.teacher}
            fillOpacity={0.06}
            ifOverflow="visible"
            label={regionLabel(regions.teacher)}
          />
          <ReferenceArea
            x1={teacherEpochs}
            x2={end}
            fill={palette.condition.student_aux}
            fillOpacity={0.04}
            ifOverflow="visible"
            label={regionLabel(regions.students)}
          />
          <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis
            type="number"
            dataKey="x"
            domain={[0, end]}
            ticks={[0, teacherEpochs, end]}
            tick={tick}
            stroke={palette.muted}
            tickFormatter={(x: number) => (x === 0 ? 'start' : x === teacherEpochs ? 'teacher done' : 'end')}
          />
          <YAxis
            domain={[0, 1]}
            ticks={[0, 0.25, 0.5, 0.75, 1]}
            tickFormatter={(v: number) => percent(v)}
            tick={tick}
            stroke={palette.muted}
            width={yAxisWidth}
          />
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
      <figcaption className="hero-legend">
        {(['teacher', featured, other] as const).map((name) => (
          <span key={name} className={name === featured ? 'featured' : undefined}>
            <span className="swatch" style={{ background: palette.condition[name] }} aria-hidden="true" />
            {LABELS[name]}
          </span>
        ))}
        <span>
          <span className="swatch chance" style={{ borderColor: palette.chance }} aria-hidden="true" />
          Chance ({percent(CHANCE)})
        </span>
      </figcaption>
    </figure>
  );
});
