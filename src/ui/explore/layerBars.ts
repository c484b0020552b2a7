/**
 * The "which layers must be shared?" sweep (every set of re-initialised layers) → one bar pair per
 * set, in the planned order, named in words, and the comparison the follow-up paper (arXiv
 * 2605.23645) is about: fresh hidden layers with a shared output layer against the reverse. Pure.
 */
import type { SweepPoint } from '../../experiment/sweep/sweep';
import { percent } from '../common/format';
import { layerLines, layerTinyLines, layerWords } from './sweepWords';

export interface LayerBar {
  /** The sweep's value: "none", "1", "1+2", … */
  value: string;
  words: string;
  lines: [string, string];
  /** For a narrow axis. */
  tiny: [string, string];
  same: number | null;
  sameCi: number | null;
  different: number | null;
  differentCi: number | null;
  models: number;
}

export function layerBars(values: readonly string[], points: readonly SweepPoint[], layers: number): LayerBar[] {
  return values.map((value) => {
    const result = points.find((p) => p.value === value)?.result;
    const same = result?.conditions.student_aux;
    const different = result?.conditions.cross_aux;
    return {
      value,
      words: layerWords(value, layers),
      lines: layerLines(value, layers),
      tiny: layerTinyLines(value, layers),
      same: same?.mean ?? null,
      sameCi: same?.ci95 ?? null,
      different: different?.mean ?? null,
      differentCi: different?.ci95 ?? null,
      models: same?.accuracies.length ?? 0,
    };
  });
}

/** "1+2" for a network of 3 layers: every hidden layer, the output layer left shared. */
export function hiddenLayersValue(layers: number): string {
  return Array.from({ length: layers - 1 }, (_, i) => i + 1).join('+');
}

/**
 * What the bars say about the follow-up's claim, once the sets it needs have run: the same-init
 * student with every hidden layer fresh (output shared) and with only the output layer fresh.
 */
export function layerVerdict(bars: readonly LayerBar[], layers: number): string | null {
  const all = bars.find((bar) => bar.value === 'none')?.same;
  const hidden = bars.find((bar) => bar.value === hiddenLayersValue(layers))?.same;
  const output = bars.find((bar) => bar.value === String(layers))?.same;
  if (all == null || hidden == null || output == null || layers < 2) return null;
  return (
    `Everything shared: the same-start student reads ${percent(all)} of test digits. ` +
    `Every hidden layer fresh, output layer shared: ${percent(hidden)}. ` +
    `Only the output layer (layer ${layers}) fresh: ${percent(output)}.`
  );
}
