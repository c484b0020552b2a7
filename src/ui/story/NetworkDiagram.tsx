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
import { fan, HEIGHT, networkLayout, type Box, type NetworkDiagramProps } from './networkLayout';
import './story.css';

export type { NetworkDiagramProps } from './networkLayout';

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

/** The network in words under it, and which starting weights the students share. */
function NetworkCaption({ hidden, auxLogits, highlight }: NetworkDiagramProps) {
  return (
    <figcaption>
      {INPUT_SIZE} pixels in → {hidden.length === 1 ? 'a hidden layer' : `${hidden.length} hidden layers`} →{' '}
      {CLASS_COUNT} + {auxLogits} outputs.{' '}
      {highlight === 'teacher'
        ? 'It starts from random weights; the same-start student will start from exactly these.'
        : highlight === 'student'
          ? "Same-start student: starts from the teacher's own initial weights. Different-start student: from another model's."
          : "The same-start student starts from the teacher's initial weights; the different-start one from another model's."}
    </figcaption>
  );
}

export function NetworkDiagram({ hidden, auxLogits, highlight }: NetworkDiagramProps) {
  const [box, measured] = useWidth<SVGSVGElement>();
  const font = useFontSize(box, measured);
  const width = measured > 0 ? measured : FALLBACK_WIDTH;
  const { words, columns, layers, digits, aux, last, noteX, trained } = networkLayout(
    { hidden, auxLogits, highlight },
    width,
    font,
  );

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
      <NetworkCaption hidden={hidden} auxLogits={auxLogits} highlight={highlight} />
    </figure>
  );
}
