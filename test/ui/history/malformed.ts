/** The malformed stored records of issue 19, each made from a good record: one spoiled field apiece. */
import type { SavedRun } from '../../../src/ui/history/store';

type Spoil = (record: SavedRun & Record<string, unknown>) => void;

export const MALFORMED: Record<string, Spoil> = {
  'a result that is a string': (r) => {
    r.result = 'oops' as never;
  },
  'conditions missing': (r) => {
    delete (r.result as Partial<SavedRun['result']>).conditions;
  },
  'a null config': (r) => {
    r.config = null as never;
  },
  'a string ranAt': (r) => {
    r.ranAt = '2026-11-29' as never;
  },
  'a curve point without accuracy': (r) => {
    const curves = r.result.curves;
    curves.distill = curves.distill.map((point, i) => (i === 1 ? { ...point, accuracy: undefined as never } : point));
  },
};

/** A copy of `record` spoiled as `shape` says. */
export function malformed(record: SavedRun, shape: string): SavedRun & Record<string, unknown> {
  const copy = structuredClone(record) as SavedRun & Record<string, unknown>;
  MALFORMED[shape](copy);
  return copy;
}
