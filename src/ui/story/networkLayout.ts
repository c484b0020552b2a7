/**
 * Where the network diagram puts everything, for a width and a text size: the columns of layers
 * (height by the log of their size), the two output groups, and the notes beside them. Pure.
 */
import { INPUT_SIZE } from '../../experiment/config';

export interface NetworkDiagramProps {
  hidden: number[];
  auxLogits: number;
  /** Which stage's training to mark; none marks both. */
  highlight?: 'teacher' | 'student';
}

export const HEIGHT = 150;
const PAD = 6;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A fan joining the right side of one box to the left side of the next. */
export const fan = (a: Box, b: Box) =>
  `${a.x + a.w},${a.y} ${b.x},${b.y} ${b.x},${b.y + b.h} ${a.x + a.w},${a.y + a.h}`;

/** What each output group is doing in each view: [title, second line]; `short` for a phone. */
function notes(m: number, highlight: NetworkDiagramProps['highlight'], short: boolean) {
  const aux = short ? `m = ${m} extra` : `m = ${m} extra output${m === 1 ? '' : 's'}`;
  const digits = short ? '10 digits' : '10 digit outputs';
  if (highlight === 'teacher') return { digits: [digits, 'trained on digits'], aux: [aux, 'never trained'] };
  if (highlight === 'student') return { digits: [digits, 'not trained here'], aux: [aux, 'copied on noise'] };
  return { digits: [digits, 'teacher trains these'], aux: [aux, 'never trained'] };
}

export function networkLayout({ hidden, auxLogits, highlight }: NetworkDiagramProps, width: number, font: number) {
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
  return { words, columns, layers, digits, aux, last, noteX, trained };
}
