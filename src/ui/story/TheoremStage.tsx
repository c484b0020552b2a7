/**
 * Stage 5, why it happens: the paper's theorem as a measurement. From a shared start, one small
 * imitation step on noise lowers the teacher's own digit loss; from a different start nothing is
 * promised. In plain words what this run measured, a chart of the loss change against the teacher's
 * step size ε (both starts, every model), and on demand the sentences with the exact numbers, how to
 * read the axis and a table of the means (inner products, cosines).
 */
import { memo, useMemo, type ComponentProps } from 'react';
import { CartesianGrid, ComposedChart, Line, ReferenceLine, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import type { TheoremResult } from '../../experiment/results';
import { signed, stepSize } from '../common/format';
import type { Palette } from '../common/palette';
import {
  differentPlain,
  differentSentence,
  epsilonDecades,
  epsilonTick,
  sharedPlain,
  sharedSentence,
  STARTS,
  symlogScale,
  symlogTick,
  theoremPoints,
  type Start,
  type Symlog,
  type TheoremPoint,
} from './theorem';
import { ChartFrame } from '../common/ChartFrame';
import { Stage } from '../common/Stage';
import { InDetail } from './InDetail';
import { ScrollTable } from './ScrollTable';

const HEIGHT = 300;

const START_WORDS: Record<Start, string> = {
  shared: 'Same-start student',
  different: 'Different-start student',
};

/** The colours of the students that start each way in the main experiment. */
const startColor = (palette: Palette, start: Start) =>
  palette.condition[start === 'shared' ? 'student_aux' : 'cross_aux'];

/**
 * The teacher's step size ε, one tick per decade: props to spread on recharts' own XAxis (recharts
 * reads its children by type, so they cannot be wrapped in components of ours).
 */
function epsilonAxisProps(decades: number[], palette: Palette): ComponentProps<typeof XAxis> {
  return {
    type: 'number',
    dataKey: 'x',
    domain: [decades[0], decades.at(-1)!],
    ticks: decades,
    tickFormatter: epsilonTick,
    stroke: palette.muted,
    tick: { fill: palette.text, fontSize: 14 },
    label: {
      value: "teacher's step size ε (log scale)",
      position: 'insideBottom',
      offset: -24,
      fill: palette.muted,
      fontSize: 14,
    },
  };
}

/** The change in the teacher's digit loss, on a symmetric log scale: YAxis props. */
function lossAxisProps(scale: Symlog, palette: Palette): ComponentProps<typeof YAxis> {
  return {
    type: 'number',
    dataKey: 'y',
    domain: scale.domain,
    ticks: scale.ticks.map(scale.forward),
    tickFormatter: (position: number) => symlogTick(scale.inverse(position)),
    interval: 0,
    allowDataOverflow: true,
    stroke: palette.muted,
    tick: { fill: palette.text, fontSize: 13 },
    width: 72,
    label: {
      value: 'change in digit loss',
      angle: -90,
      position: 'insideLeft',
      offset: -4,
      fill: palette.muted,
      fontSize: 13,
      style: { textAnchor: 'middle' },
    },
  };
}

function LossChart({ points, scale, palette }: { points: TheoremPoint[]; scale: Symlog; palette: Palette }) {
  const decades = epsilonDecades(points);
  const rows = points.map((p) => ({
    x: Math.log10(p.epsilon),
    shared: scale.forward(p.shared.lossChange),
    different: scale.forward(p.different.lossChange),
  }));
  const models = (start: Start) =>
    points.flatMap((p) => p[start].lossChanges.map((value) => ({ x: Math.log10(p.epsilon), y: scale.forward(value) })));
  return (
    <ChartFrame
      height={HEIGHT}
      label="Change in the teacher's digit loss after one imitation step, against the teacher's step size ε, for a same-start and a different-start student"
    >
      {(width) => (
        <ComposedChart width={width} height={HEIGHT} data={rows} margin={{ top: 12, right: 16, bottom: 34, left: 14 }}>
          <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" />
          <XAxis {...epsilonAxisProps(decades, palette)} />
          <YAxis {...lossAxisProps(scale, palette)} />
          <ReferenceLine y={0} stroke={palette.text} strokeWidth={1.5} />
          {STARTS.map((start) => (
            <Scatter
              key={`${start}-models`}
              name={`${START_WORDS[start]}, each model`}
              data={models(start)}
              dataKey="y"
              fill={startColor(palette, start)}
              fillOpacity={0.45}
              shape="circle"
              legendType="none"
              tooltipType="none"
              isAnimationActive={false}
            />
          ))}
          {STARTS.map((start) => (
            <Line
              key={start}
              dataKey={start}
              name={`${START_WORDS[start]} (mean)`}
              stroke={startColor(palette, start)}
              strokeWidth={4}
              dot={{ r: 4, fill: startColor(palette, start) }}
              isAnimationActive={false}
            />
          ))}
          <Tooltip
            formatter={(value) => (typeof value === 'number' ? signed(scale.inverse(value)) : String(value))}
            labelFormatter={(x) => `ε = ${stepSize(10 ** Number(x))}`}
            contentStyle={{ background: palette.background, color: palette.text, borderColor: palette.grid }}
          />
        </ComposedChart>
      )}
    </ChartFrame>
  );
}

function NumbersTable({ points, models }: { points: TheoremPoint[]; models: number }) {
  return (
    <>
      <ScrollTable label="One-step theorem: the numbers">
        <table className="result-table theorem-table" data-testid="theorem-table">
          <caption className="visually-hidden">
            Means over {models} model{models === 1 ? '' : 's'}. Inner product and cosine compare the student&apos;s step
            with the teacher&apos;s step, each as one long list of every weight.
          </caption>
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                ε
              </th>
              {STARTS.map((start) => (
                <th key={start} scope="colgroup" colSpan={3}>
                  {START_WORDS[start]}
                </th>
              ))}
            </tr>
            <tr>
              {STARTS.flatMap((start) => [
                <th key={`${start}-loss`} scope="col">
                  loss change
                </th>,
                <th key={`${start}-inner`} scope="col">
                  inner product
                </th>,
                <th key={`${start}-cos`} scope="col">
                  cosine
                </th>,
              ])}
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.epsilon}>
                <th scope="row">{stepSize(p.epsilon)}</th>
                {STARTS.flatMap((start) => [
                  <td key={`${start}-loss`} className="number">
                    {signed(p[start].lossChange)}
                  </td>,
                  <td key={`${start}-inner`} className="number">
                    {signed(p[start].innerProduct)}
                  </td>,
                  <td key={`${start}-cos`} className="number">
                    {signed(p[start].cosine)}
                  </td>,
                ])}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      <p className="caption" aria-hidden="true">
        Means over {models} model{models === 1 ? '' : 's'}. Inner product and cosine compare the student&apos;s step
        with the teacher&apos;s step, each as one long list of every weight.
      </p>
    </>
  );
}

function Measured({ result, palette }: { result: TheoremResult; palette: Palette }) {
  const points = useMemo(() => theoremPoints(result), [result]);
  const scale = useMemo(
    () =>
      symlogScale(
        points.flatMap((p) => [
          p.shared.lossChange,
          p.different.lossChange,
          ...p.shared.lossChanges,
          ...p.different.lossChanges,
        ]),
      ),
    [points],
  );
  if (points.length === 0) return <p className="verdict">The one-step experiment reported no points.</p>;
  return (
    <>
      <p className="verdict" data-testid="theorem-verdict">
        <span className="featured">{sharedPlain(points)}</span> {differentPlain(points)}
      </p>
      <LossChart points={points} scale={scale} palette={palette} />
      <ul className="legend">
        {STARTS.map((start) => (
          <li key={start}>
            <span className="swatch" style={{ background: startColor(palette, start) }} aria-hidden="true" />
            {START_WORDS[start]}: line = mean, dots = each model
          </li>
        ))}
      </ul>
      <p className="caption">
        Below the zero line, the student got better at the teacher&apos;s digits after one step; above it, worse. Left
        to right, the teacher&apos;s own learning step grows from tiny to large.
      </p>
      <InDetail title="The maths" testId="theorem-detail">
        <p data-testid="theorem-numbers">
          <span data-testid="theorem-shared">{sharedSentence(points)}</span>{' '}
          <span data-testid="theorem-different">{differentSentence(points)}</span>
        </p>
        <p data-testid="theorem-axis">
          Up the side: the teacher&apos;s digit loss at the student after its step, minus before; below 0 = the student
          got better at digits. The scale is a signed log: 0 in the middle, then {symlogTick(scale.constant)},{' '}
          {symlogTick(10 * scale.constant)} and so on (and the same below 0), each mark ten times the last, so small and
          large changes of either sign both show. The student&apos;s step always has length{' '}
          {stepSize(result.studentStep)}; the teacher&apos;s loss is taken on {result.batch.toLocaleString('en')}{' '}
          training digits.
        </p>
        <NumbersTable points={points} models={result.models} />
      </InDetail>
    </>
  );
}

interface Props {
  result: TheoremResult | null;
  /** The run is over (finished, cancelled or failed): no measurement is coming any more. */
  ended: boolean;
  palette: Palette;
}

export const TheoremStage = memo(function TheoremStage({ result, ended, palette }: Props) {
  return (
    <Stage number={5} title="Why it happens: one step of imitation" className="stage-wide">
      <p>
        <strong>The theorem</strong> (Cloud et al.): if student and teacher start from the same weights and the teacher
        takes one small step of learning, then one step of imitating the teacher&apos;s outputs — on any inputs, even
        noise — moves the student toward what the teacher learnt, unless the two steps happen to be at right angles.
        From different starting weights there is no such promise.
      </p>
      {result ? (
        <Measured result={result} palette={palette} />
      ) : (
        <p className="verdict" data-testid="theorem-waiting">
          After the test, the run checks this directly: starting from each model&apos;s random weights, the teacher
          takes one digit-learning step of several sizes ε, from tiny to large, and a student takes one step copying the
          teacher&apos;s extra outputs on noise, from the same weights or from another model&apos;s. We then measure
          whether the teacher&apos;s digit loss went down at the student.
          {ended && ' This run ended without that check; run again to see it.'}
        </p>
      )}
    </Stage>
  );
});
