/**
 * The network drawn: 784 pixels → hidden layers → 10 digit outputs + m auxiliary outputs, as boxes
 * joined by fans, taken from the config. The m auxiliary outputs are marked in their own colour,
 * dashed ("never trained"), and `highlight` says which outputs a stage trains: the teacher its 10
 * digit outputs on digits, the aux-only students only the m auxiliary outputs, on noise. The caption
 * says which starting weights are shared. Colours are CSS variables (story.css), so dark mode and
 * the page's font size apply; the width follows the layout, the height stays at most 150 px.
 */
import { useLayoutEffect, useState, type RefObject } from 'react';
import { CLASS_COUNT, INPUT_SIZE } from '../../experiment/config';
import { FALLBACK_WIDTH, useWidth } from '../common/ChartFrame';
import './story.css';

export interface NetworkDiagramProps {
  hidden: number[];
  auxLogits: number;
  /** Which stage's training to mark; none marks both. */
  highlight?: 'teacher' | 'student';
}

const HEIGHT = 150;
const PAD = 6;

/** What each output group is doing in each view: [title, second line]; `short` for a phone. */
function notes(m: number, highlight: NetworkDiagramProps['highlight'], short: boolean) {
  const aux = short ? `m = ${m} extra` : `m = ${m} extra output${m === 1 ? '' : 's'}`;
  const digits = short ? '10 digits' : '10 digit outputs';
  if (highlight === 'teacher') return { digits: [digits, 'trained on digits'], aux: [aux, 'never trained'] };
  if (highlight === 'student') return { digits: [digits, 'not trained here'], aux: [aux, 'copied on noise'] };
  return { digits: [digits, 'teacher trains these'], aux: [aux, 'never trained'] };
}

/** The diagram's words for a screen reader. */
export function networkDescription({ hidden, auxLogits, highlight }: NetworkDiagramProps): string {
  const shape = `A network of ${INPUT_SIZE} pixel inputs, hidden layers of ${hidden.join(', ')} units, and ${CLASS_COUNT} digit outputs plus m = ${auxLogits} extra outputs, never trained.`;
  if (highlight === 'teacher') return `${shape} The teacher trains only its ${CLASS_COUNT} digit outputs, on digits.`;
  if (highlight === 'student')
    return `${shape} The students train only the ${auxLogits} extra outputs, copying the teacher's on noise. The same-start student starts from the teacher's initial weights; the different-start one from another model's.`;
  return `${shape} The teacher trains the ${CLASS_COUNT} digit outputs on digits; the students copy only the ${auxLogits} extra outputs, on noise.`;
}

/** The size of the diagram's text in px (its CSS sets it from the page's font size). */
function useFontSize(ref: RefObject<Element | null>, width: number): number {
  const [size, setSize] = useState(15);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element || typeof getComputedStyle !== 'function') return;
    const measured = parseFloat(getComputedStyle(element).fontSize);
    if (Number.isFinite(measured) && measured > 0) setSize(measured);
  }, [ref, width]);
  return size;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A fan joining the right side of one box to the left side of the next. */
const fan = (a: Box, b: Box) => `${a.x + a.w},${a.y} ${b.x},${b.y} ${b.x},${b.y + b.h} ${a.x + a.w},${a.y + a.h}`;

export function NetworkDiagram({ hidden, auxLogits, highlight }: NetworkDiagramProps) {
  const [box, measured] = useWidth<SVGSVGElement>();
  const font = useFontSize(box, measured);
  const width = measured > 0 ? measured : FALLBACK_WIDTH;
  // Right: the notes beside the outputs, as wide as their longest line; left: the columns, input first.
  const short = width < font * 30;
  const words = notes(auxLogits, highlight, short);
  const longest = Math.max(...[...words.digits, ...words.aux].map((line) => line.length));
  const noteWidth = Math.min(width * 0.5, longest * font * 0.6 + font);
  const columns = [INPUT_SIZE, ...hidden];
  const boxWidth = Math.max(font * 2.3, Math.min(font * 3.4, width * 0.07));
  const span = width - noteWidth - PAD * 2 - boxWidth;
  const step = span / columns.length;
  const usable = HEIGHT - PAD * 2;
  const biggest = Math.log(Math.max(...columns, 2));
  const layers: Box[] = columns.map((size, i) => {
    const h = usable * (0.4 + 0.6 * (Math.log(Math.max(size, 2)) / biggest));
    return { x: PAD + i * step, y: PAD + (usable - h) / 2, w: boxWidth, h };
  });
  const outX = PAD + columns.length * step;
  const groupHeight = Math.min(font * 2.3, usable / 2 - 4);
  const digits: Box = { x: outX, y: HEIGHT / 2 - groupHeight - 4, w: boxWidth, h: groupHeight };
  const aux: Box = { x: outX, y: HEIGHT / 2 + 4, w: boxWidth, h: groupHeight };
  const last = layers[layers.length - 1];
  const noteX = outX + boxWidth + font * 0.6;
  const trained = highlight === 'student' ? 'aux' : highlight === 'teacher' ? 'digits' : 'both';

  const note = (group: Box, [title, line]: string[], kind: 'digits' | 'aux') => (
    <text x={noteX} y={group.y + group.h / 2} className={`net-note net-note-${kind}`}>
      <tspan x={noteX} dy="-0.25em" className="net-note-title">
        {title}
      </tspan>
      <tspan x={noteX} dy="1.15em">
        {line}
      </tspan>
    </text>
  );

  return (
    <figure className="network-diagram" data-highlight={highlight ?? 'both'}>
      <svg
        ref={box}
        width="100%"
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-label={networkDescription({ hidden, auxLogits, highlight })}
      >
        {layers.slice(1).map((layer, i) => (
          <polygon key={`fan-${i}`} points={fan(layers[i], layer)} className="net-fan" />
        ))}
        <polygon points={fan(last, digits)} className={`net-fan${trained !== 'aux' ? ' net-fan-digits' : ''}`} />
        <polygon points={fan(last, aux)} className={`net-fan${trained !== 'digits' ? ' net-fan-aux' : ''}`} />
        {layers.map((layer, i) => (
          <g key={`layer-${i}`} className="net-layer">
            <rect x={layer.x} y={layer.y} width={layer.w} height={layer.h} rx={4} />
            <text
              x={layer.x + layer.w / 2}
              y={layer.y + layer.h / 2}
              dy="0.35em"
              textAnchor="middle"
              data-testid="net-size"
            >
              {columns[i]}
            </text>
          </g>
        ))}
        <g className={`net-out net-digits${trained !== 'aux' ? ' trained' : ''}`}>
          <rect x={digits.x} y={digits.y} width={digits.w} height={digits.h} rx={4} />
          <text
            x={digits.x + digits.w / 2}
            y={digits.y + digits.h / 2}
            dy="0.35em"
            textAnchor="middle"
            data-testid="net-size"
          >
            {CLASS_COUNT}
          </text>
        </g>
        <g className={`net-out net-aux${trained !== 'digits' ? ' trained' : ''}`} data-testid="net-aux">
          <rect x={aux.x} y={aux.y} width={aux.w} height={aux.h} rx={4} />
          <text x={aux.x + aux.w / 2} y={aux.y + aux.h / 2} dy="0.35em" textAnchor="middle" data-testid="net-size">
            {auxLogits}
          </text>
        </g>
        {note(digits, words.digits, 'digits')}
        {note(aux, words.aux, 'aux')}
      </svg>
      <figcaption>
        {INPUT_SIZE} pixels in → {hidden.length === 1 ? 'a hidden layer' : `${hidden.length} hidden layers`} →{' '}
        {CLASS_COUNT} + {auxLogits} outputs.{' '}
        {highlight === 'teacher'
          ? 'It starts from random weights; the same-start student will start from exactly these.'
          : highlight === 'student'
            ? "Same-start student: starts from the teacher's own initial weights. Different-start student: from another model's."
            : "The same-start student starts from the teacher's initial weights; the different-start one from another model's."}
      </figcaption>
    </figure>
  );
}
