/** The row-wise geometry behind the alignment series and the mitigation, on hand-computed values. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  removeAlignedComponent,
  rowCosine,
  rowDistance,
  rowDot,
  rowScaleTo,
} from '../../../src/experiment/why/alignment';
import { Random } from '../../../src/experiment/model/random';
import * as tf from '../../../src/experiment/tf';
import { useWasm } from '../../support/engine';

beforeAll(useWasm);

const rows = (values: number[][]) => tf.tensor2d(values);
async function read(make: () => tf.Tensor): Promise<number[]> {
  const tensor = make();
  const out = Array.from(await tensor.data());
  tensor.dispose();
  return out;
}

describe('row geometry of parameter stacks', () => {
  it('cosine, distance and dot product, row by row', async () => {
    const before = tf.memory().numTensors;
    const a = rows([
      [3, 4, 0],
      [1, 0, 0],
      [1, 2, 2],
      [0, 0, 0],
    ]);
    const b = rows([
      [4, 3, 0],
      [0, 1, 0],
      [-1, -2, -2],
      [1, 1, 1],
    ]);
    // Row 0: 24 / 25; row 1: orthogonal; row 2: opposite; row 3: a zero row counts as cosine 0.
    const cosines = await read(() => rowCosine(a, b));
    [0.96, 0, -1, 0].forEach((expected, i) => expect(cosines[i]).toBeCloseTo(expected, 6));
    // √((3−4)² + (4−3)²) = √2; √2; ‖(2, 4, 4)‖ = 6; ‖(−1, −1, −1)‖ = √3.
    const distances = await read(() => rowDistance(a, b));
    [Math.SQRT2, Math.SQRT2, 6, Math.sqrt(3)].forEach((expected, i) => expect(distances[i]).toBeCloseTo(expected, 6));
    expect(await read(() => rowDot(a, b))).toEqual([24, 0, -9, 0]);
    // Scaled to length 10: (6, 8, 0); (10, 0, 0); (10/3)(1, 2, 2); the zero row stays zero.
    const scaled = await read(() => rowScaleTo(a, 10));
    const expected = [6, 8, 0, 10, 0, 0, 10 / 3, 20 / 3, 20 / 3, 0, 0, 0];
    expected.forEach((value, i) => expect(scaled[i]).toBeCloseTo(value, 5));
    tf.dispose([a, b]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the mitigation removes the aligned component: by hand on a small case', async () => {
    const gradient = rows([
      [2, 1],
      [2, 1],
      [-1, 3],
    ]);
    const trait = rows([
      [1, 0],
      [0, -1],
      [1, 0],
    ]);
    // Row 0: g·t = 2 > 0 → (0, 1). Row 1: g·t = −1 < 0 → untouched. Row 2: g·t = −1 → untouched.
    expect(await read(() => removeAlignedComponent(gradient, trait))).toEqual([0, 1, 2, 1, -1, 3]);
    tf.dispose([gradient, trait]);
  });

  it('the mitigation leaves no component along the trait (≤ 1e-6 of the norm) and leaves orthogonal gradients untouched', async () => {
    const random = Random.stream(7, 'test-projection');
    const R = 6;
    const P = 4000;
    const values = new Float32Array(R * P);
    random.fillGaussian(values, 0, 1);
    const traitValues = new Float32Array(R * P);
    random.fillGaussian(traitValues, 0, 1);
    // Rows 0–2 made to point along the trait (cosine ≈ 0.5); rows 3–5 made exactly orthogonal to it.
    for (let r = 0; r < R; r++) {
      const g = values.subarray(r * P, (r + 1) * P);
      const t = traitValues.subarray(r * P, (r + 1) * P);
      if (r < 3) g.forEach((v, i) => (g[i] = v + t[i]));
      else {
        // Orthogonal by construction: pair up coordinates, g = (t₁, −t₀, t₃, −t₂, …).
        for (let i = 0; i < P; i += 2) [g[i], g[i + 1]] = [t[i + 1], -t[i]];
      }
    }
    const gradient = tf.tensor2d(values, [R, P]);
    const trait = tf.tensor2d(traitValues, [R, P]);
    const projected = removeAlignedComponent(gradient, trait);
    const out = await projected.data();
    for (let r = 0; r < R; r++) {
      const p = out.subarray(r * P, (r + 1) * P);
      const t = traitValues.subarray(r * P, (r + 1) * P);
      const g = values.subarray(r * P, (r + 1) * P);
      let dot = 0;
      let pNorm = 0;
      let tNorm = 0;
      let before = 0;
      for (let i = 0; i < P; i++) {
        dot += p[i] * t[i];
        pNorm += p[i] * p[i];
        tNorm += t[i] * t[i];
        before += g[i] * t[i];
      }
      const cosine = dot / Math.sqrt(pNorm * tNorm);
      if (r < 3) {
        expect(before / Math.sqrt(tNorm)).toBeGreaterThan(10); // it was well aligned before
        expect(Math.abs(cosine)).toBeLessThanOrEqual(1e-6);
      } else {
        expect(Array.from(p)).toEqual(Array.from(g)); // untouched, bit for bit
      }
    }
    tf.dispose([gradient, trait, projected]);
  });
});
