// The CPU training step in WebAssembly SIMD (AssemblyScript; `npm run build:kernel` compiles it
// to ../step.wasm). Only primitives live here: matrix products, the losses' gradients, Adam, the
// mitigation's projection, noise and accuracy counting. The host (simdTrainer.ts) decides what
// runs on which buffer; every pointer is a byte offset into this module's memory, and every
// buffer is row-major and tightly packed.
//
// Shapes the host guarantees: row counts are multiples of 4 and column counts of matrices that
// are products' outputs are multiples of 8 (layers are padded with zero columns, batches with
// zero-gradient rows), so the kernels have no edge cases.

// ---------------------------------------------------------------------------------------------
// Matrix products, register-blocked: 4 rows × 8 columns (two f32x4) of the output stay in eight
// registers while the shared dimension streams by. 8 accumulators + 2 loads + 4 splats fit the
// 16 vector registers of x86-64, so V8 spills nothing.

// Built twice (package.json, build:kernel): step.wasm with plain SIMD, a·b then + c, and
// step.relaxed.wasm with relaxed SIMD, one fused multiply-add where the processor has one (up to
// 1.5× the products' speed). The loader picks the second where the runtime validates it.
@inline function madd(a: v128, b: v128, c: v128): v128 {
  return ASC_FEATURE_RELAXED_SIMD ? f32x4.relaxed_madd(a, b, c) : f32x4.add(c, f32x4.mul(a, b));
}

/** C[M×N] = A[M×K] · B[K×N], plus bias[N] when bias ≠ 0, then ReLU when relu ≠ 0. */
export function gemmNN(a: usize, b: usize, c: usize, M: i32, K: i32, N: i32, bias: usize, relu: i32): void {
  const lda = (<usize>K) << 2;
  const ldb = (<usize>N) << 2;
  const zero = f32x4.splat(0);
  for (let j = 0; j < N; j += 8) {
    const bj = b + ((<usize>j) << 2);
    let b0 = zero;
    let b1 = zero;
    if (bias != 0) {
      b0 = v128.load(bias + ((<usize>j) << 2));
      b1 = v128.load(bias + ((<usize>j) << 2), 16);
    }
    for (let i = 0; i < M; i += 4) {
      const a0 = a + <usize>i * lda;
      const a1 = a0 + lda;
      const a2 = a1 + lda;
      const a3 = a2 + lda;
      let c00 = zero, c01 = zero, c10 = zero, c11 = zero;
      let c20 = zero, c21 = zero, c30 = zero, c31 = zero;
      let bp = bj;
      const end = (<usize>K) << 2;
      for (let k: usize = 0; k < end; k += 4) {
        const w0 = v128.load(bp);
        const w1 = v128.load(bp, 16);
        const x0 = v128.load32_splat(a0 + k);
        const x1 = v128.load32_splat(a1 + k);
        c00 = madd(x0, w0, c00);
        c01 = madd(x0, w1, c01);
        const x2 = v128.load32_splat(a2 + k);
        c10 = madd(x1, w0, c10);
        c11 = madd(x1, w1, c11);
        const x3 = v128.load32_splat(a3 + k);
        c20 = madd(x2, w0, c20);
        c21 = madd(x2, w1, c21);
        c30 = madd(x3, w0, c30);
        c31 = madd(x3, w1, c31);
        bp += ldb;
      }
      c00 = f32x4.add(c00, b0);
      c01 = f32x4.add(c01, b1);
      c10 = f32x4.add(c10, b0);
      c11 = f32x4.add(c11, b1);
      c20 = f32x4.add(c20, b0);
      c21 = f32x4.add(c21, b1);
      c30 = f32x4.add(c30, b0);
      c31 = f32x4.add(c31, b1);
      if (relu != 0) {
        c00 = f32x4.max(c00, zero);
        c01 = f32x4.max(c01, zero);
        c10 = f32x4.max(c10, zero);
        c11 = f32x4.max(c11, zero);
        c20 = f32x4.max(c20, zero);
        c21 = f32x4.max(c21, zero);
        c30 = f32x4.max(c30, zero);
        c31 = f32x4.max(c31, zero);
      }
      const out = c + ((<usize>i * <usize>N + <usize>j) << 2);
      v128.store(out, c00);
      v128.store(out, c01, 16);
      v128.store(out + ldb, c10);
      v128.store(out + ldb, c11, 16);
      v128.store(out + 2 * ldb, c20);
      v128.store(out + 2 * ldb, c21, 16);
      v128.store(out + 3 * ldb, c30);
      v128.store(out + 3 * ldb, c31, 16);
    }
  }
}

/**
 * B[K×N] rearranged into panels of 8 columns, [N/8][K][8], so that a product streams each panel
 * contiguously (gemmNNPacked); worth it when B is used for many rows (evaluation).
 */
export function packPanels(b: usize, K: i32, N: i32, out: usize): void {
  for (let j = 0; j < N; j += 8) {
    const panel = out + ((<usize>j * <usize>K) << 2);
    for (let k = 0; k < K; k++) {
      const from = b + ((<usize>k * <usize>N + <usize>j) << 2);
      const to = panel + ((<usize>k) << 5);
      v128.store(to, v128.load(from));
      v128.store(to, v128.load(from, 16), 16);
    }
  }
}

/** gemmNN with B given as packPanels' panels. */
export function gemmNNPacked(a: usize, b: usize, c: usize, M: i32, K: i32, N: i32, bias: usize, relu: i32): void {
  const lda = (<usize>K) << 2;
  const ldc = (<usize>N) << 2;
  const zero = f32x4.splat(0);
  for (let j = 0; j < N; j += 8) {
    const bj = b + ((<usize>j * <usize>K) << 2);
    let b0 = zero;
    let b1 = zero;
    if (bias != 0) {
      b0 = v128.load(bias + ((<usize>j) << 2));
      b1 = v128.load(bias + ((<usize>j) << 2), 16);
    }
    for (let i = 0; i < M; i += 4) {
      const a0 = a + <usize>i * lda;
      const a1 = a0 + lda;
      const a2 = a1 + lda;
      const a3 = a2 + lda;
      let c00 = zero, c01 = zero, c10 = zero, c11 = zero;
      let c20 = zero, c21 = zero, c30 = zero, c31 = zero;
      let bp = bj;
      const end = (<usize>K) << 2;
      for (let k: usize = 0; k < end; k += 4) {
        const w0 = v128.load(bp);
        const w1 = v128.load(bp, 16);
        const x0 = v128.load32_splat(a0 + k);
        const x1 = v128.load32_splat(a1 + k);
        c00 = madd(x0, w0, c00);
        c01 = madd(x0, w1, c01);
        const x2 = v128.load32_splat(a2 + k);
        c10 = madd(x1, w0, c10);
        c11 = madd(x1, w1, c11);
        const x3 = v128.load32_splat(a3 + k);
        c20 = madd(x2, w0, c20);
        c21 = madd(x2, w1, c21);
        c30 = madd(x3, w0, c30);
        c31 = madd(x3, w1, c31);
        bp += 32;
      }
      c00 = f32x4.add(c00, b0);
      c01 = f32x4.add(c01, b1);
      c10 = f32x4.add(c10, b0);
      c11 = f32x4.add(c11, b1);
      c20 = f32x4.add(c20, b0);
      c21 = f32x4.add(c21, b1);
      c30 = f32x4.add(c30, b0);
      c31 = f32x4.add(c31, b1);
      if (relu != 0) {
        c00 = f32x4.max(c00, zero);
        c01 = f32x4.max(c01, zero);
        c10 = f32x4.max(c10, zero);
        c11 = f32x4.max(c11, zero);
        c20 = f32x4.max(c20, zero);
        c21 = f32x4.max(c21, zero);
        c30 = f32x4.max(c30, zero);
        c31 = f32x4.max(c31, zero);
      }
      const out = c + ((<usize>i * <usize>N + <usize>j) << 2);
      v128.store(out, c00);
      v128.store(out, c01, 16);
      v128.store(out + ldc, c10);
      v128.store(out + ldc, c11, 16);
      v128.store(out + 2 * ldc, c20);
      v128.store(out + 2 * ldc, c21, 16);
      v128.store(out + 3 * ldc, c30);
      v128.store(out + 3 * ldc, c31, 16);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The first layer on digit images, sparse. Pixels are in [−1, 1] with a background of −1, so
// x = s − 1 with s = x + 1 zero on ~80% of MNIST's pixels: x·W = s·W − Σₖ W[k] and
// Wᵀ-gradients likewise, so only s's non-zeros are multiplied (≈5× fewer products).
// An image set is kept as CSR: image i's non-zeros are entries offsets[i] … offsets[i+1] of
// pixel (i32) and value (f32, s). A row's image is index[r] (i32); −1 is an image of no
// non-zeros (a padding row).

/** shift[N] = bias[N] − Σₖ W[k, :] for W[K×N]: the constant part of x·W + bias. */
export function shiftVector(w: usize, K: i32, N: i32, bias: usize, shift: usize): void {
  const ld = (<usize>N) << 2;
  for (let j: usize = 0; j < ld; j += 16) {
    let sum = f32x4.splat(0);
    let p = w + j;
    for (let k = 0; k < K; k++) {
      sum = f32x4.add(sum, v128.load(p));
      p += ld;
    }
    v128.store(shift + j, f32x4.sub(v128.load(bias + j), sum));
  }
}

/**
 * W[K×N] as sparseGemm reads it: panels of 32 columns, [K][32] each, then panels of 8 for the
 * rest; a pixel's columns of a panel are then one or two cache lines, not a strided walk.
 */
export function packSparsePanels(w: usize, K: i32, N: i32, out: usize): void {
  let j = 0;
  for (; j + 32 <= N; j += 32) {
    const panel = out + ((<usize>j * <usize>K) << 2);
    for (let k = 0; k < K; k++) memory.copy(panel + ((<usize>k) << 7), w + ((<usize>k * <usize>N + <usize>j) << 2), 128);
  }
  for (; j < N; j += 8) {
    const panel = out + ((<usize>j * <usize>K) << 2);
    for (let k = 0; k < K; k++) memory.copy(panel + ((<usize>k) << 5), w + ((<usize>k * <usize>N + <usize>j) << 2), 32);
  }
}

/** out[M×N] = s·W + shift (ReLU when relu ≠ 0) for rows of sparse images, W as packSparsePanels'; N % 8 == 0. */
export function sparseGemm(offsets: usize, pixel: usize, value: usize, index: usize, M: i32, w: usize, K: i32, N: i32, shift: usize, relu: i32, out: usize): void {
  const ld = (<usize>N) << 2;
  const zero = f32x4.splat(0);
  let j = 0;
  for (; j + 32 <= N; j += 32) {
    const panel = w + ((<usize>j * <usize>K) << 2);
    const sj = shift + ((<usize>j) << 2);
    for (let r = 0; r < M; r++) {
      // The shift is read per row: eight accumulators and eight held shifts would not fit the registers.
      let c0 = v128.load(sj), c1 = v128.load(sj, 16), c2 = v128.load(sj, 32), c3 = v128.load(sj, 48);
      let c4 = v128.load(sj, 64), c5 = v128.load(sj, 80), c6 = v128.load(sj, 96), c7 = v128.load(sj, 112);
      const image = load<i32>(index + ((<usize>r) << 2));
      if (image >= 0) {
        const end = <usize>load<i32>(offsets + ((<usize>(image + 1)) << 2)) << 2;
        for (let e = <usize>load<i32>(offsets + ((<usize>image) << 2)) << 2; e < end; e += 4) {
          const x = v128.load32_splat(value + e);
          const row = panel + (<usize>load<i32>(pixel + e) << 7);
          c0 = madd(x, v128.load(row), c0);
          c1 = madd(x, v128.load(row, 16), c1);
          c2 = madd(x, v128.load(row, 32), c2);
          c3 = madd(x, v128.load(row, 48), c3);
          c4 = madd(x, v128.load(row, 64), c4);
          c5 = madd(x, v128.load(row, 80), c5);
          c6 = madd(x, v128.load(row, 96), c6);
          c7 = madd(x, v128.load(row, 112), c7);
        }
      }
      if (relu != 0) {
        c0 = f32x4.max(c0, zero); c1 = f32x4.max(c1, zero); c2 = f32x4.max(c2, zero); c3 = f32x4.max(c3, zero);
        c4 = f32x4.max(c4, zero); c5 = f32x4.max(c5, zero); c6 = f32x4.max(c6, zero); c7 = f32x4.max(c7, zero);
      }
      const o = out + <usize>r * ld + ((<usize>j) << 2);
      v128.store(o, c0); v128.store(o, c1, 16); v128.store(o, c2, 32); v128.store(o, c3, 48);
      v128.store(o, c4, 64); v128.store(o, c5, 80); v128.store(o, c6, 96); v128.store(o, c7, 112);
    }
  }
  for (; j < N; j += 8) {
    const panel = w + ((<usize>j * <usize>K) << 2);
    const sj = shift + ((<usize>j) << 2);
    const s0 = v128.load(sj), s1 = v128.load(sj, 16);
    for (let r = 0; r < M; r++) {
      let c0 = s0, c1 = s1;
      const image = load<i32>(index + ((<usize>r) << 2));
      if (image >= 0) {
        const end = <usize>load<i32>(offsets + ((<usize>(image + 1)) << 2)) << 2;
        for (let e = <usize>load<i32>(offsets + ((<usize>image) << 2)) << 2; e < end; e += 4) {
          const x = v128.load32_splat(value + e);
          const row = panel + (<usize>load<i32>(pixel + e) << 5);
          c0 = madd(x, v128.load(row), c0);
          c1 = madd(x, v128.load(row, 16), c1);
        }
      }
      if (relu != 0) {
        c0 = f32x4.max(c0, zero);
        c1 = f32x4.max(c1, zero);
      }
      const o = out + <usize>r * ld + ((<usize>j) << 2);
      v128.store(o, c0);
      v128.store(o, c1, 16);
    }
  }
}

/**
 * dW[K×N] = xᵀ·dz for the sparse rows (x = s − 1): sᵀ·dz − Σ_rows dz, with db = Σ_rows dz given.
 * The batch's non-zeros are first sorted by pixel (counts: K + 1 i32, entries: two i32 per
 * non-zero), so each row of dW is summed in registers and written once.
 */
export function sparseWeightGradient(offsets: usize, pixel: usize, value: usize, index: usize, M: i32, dz: usize, K: i32, N: i32, db: usize, counts: usize, entries: usize, out: usize): void {
  const ld = (<usize>N) << 2;
  memory.fill(counts, 0, (<usize>(K + 1)) << 2);
  for (let r = 0; r < M; r++) {
    const image = load<i32>(index + ((<usize>r) << 2));
    if (image < 0) continue;
    const end = <usize>load<i32>(offsets + ((<usize>(image + 1)) << 2)) << 2;
    for (let e = <usize>load<i32>(offsets + ((<usize>image) << 2)) << 2; e < end; e += 4) {
      const at = counts + ((<usize>(load<i32>(pixel + e) + 1)) << 2);
      store<i32>(at, load<i32>(at) + 1);
    }
  }
  for (let k = 0; k < K; k++) {
    const at = counts + ((<usize>(k + 1)) << 2);
    store<i32>(at, load<i32>(at) + load<i32>(at - 4));
  }
  // counts[k] is now where pixel k's entries start; filling moves it to where they end.
  for (let r = 0; r < M; r++) {
    const image = load<i32>(index + ((<usize>r) << 2));
    if (image < 0) continue;
    const end = <usize>load<i32>(offsets + ((<usize>(image + 1)) << 2)) << 2;
    for (let e = <usize>load<i32>(offsets + ((<usize>image) << 2)) << 2; e < end; e += 4) {
      const at = counts + ((<usize>load<i32>(pixel + e)) << 2);
      const slot = entries + ((<usize>load<i32>(at)) << 3);
      store<i32>(slot, r);
      store<f32>(slot, load<f32>(value + e), 4);
      store<i32>(at, load<i32>(at) + 1);
    }
  }
  const zero = f32x4.splat(0);
  let begin: usize = 0;
  for (let k = 0; k < K; k++) {
    const end = <usize>load<i32>(counts + ((<usize>k) << 2)) << 3;
    const o = out + <usize>k * ld;
    let j: usize = 0;
    for (; j + 128 <= ld; j += 128) {
      let c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero, c6 = zero, c7 = zero;
      for (let e = begin; e < end; e += 8) {
        const slot = entries + e;
        const x = v128.load32_splat(slot, 4);
        const row = dz + <usize>load<i32>(slot) * ld + j;
        c0 = madd(x, v128.load(row), c0);
        c1 = madd(x, v128.load(row, 16), c1);
        c2 = madd(x, v128.load(row, 32), c2);
        c3 = madd(x, v128.load(row, 48), c3);
        c4 = madd(x, v128.load(row, 64), c4);
        c5 = madd(x, v128.load(row, 80), c5);
        c6 = madd(x, v128.load(row, 96), c6);
        c7 = madd(x, v128.load(row, 112), c7);
      }
      const b = db + j;
      v128.store(o + j, f32x4.sub(c0, v128.load(b)));
      v128.store(o + j, f32x4.sub(c1, v128.load(b, 16)), 16);
      v128.store(o + j, f32x4.sub(c2, v128.load(b, 32)), 32);
      v128.store(o + j, f32x4.sub(c3, v128.load(b, 48)), 48);
      v128.store(o + j, f32x4.sub(c4, v128.load(b, 64)), 64);
      v128.store(o + j, f32x4.sub(c5, v128.load(b, 80)), 80);
      v128.store(o + j, f32x4.sub(c6, v128.load(b, 96)), 96);
      v128.store(o + j, f32x4.sub(c7, v128.load(b, 112)), 112);
    }
    for (; j < ld; j += 16) {
      let c0 = zero;
      for (let e = begin; e < end; e += 8) {
        const slot = entries + e;
        c0 = madd(v128.load32_splat(slot, 4), v128.load(dz + <usize>load<i32>(slot) * ld + j), c0);
      }
      v128.store(o + j, f32x4.sub(c0, v128.load(db + j)));
    }
    begin = end;
  }
}

/** dst[C×R] = srcᵀ for src[R×C], R % 4 == 0 and C % 4 == 0: 4×4 blocks turned in registers. */
export function transpose(src: usize, R: i32, C: i32, dst: usize): void {
  const BLOCK = 32;
  const lds = (<usize>C) << 2;
  const ldd = (<usize>R) << 2;
  for (let r0 = 0; r0 < R; r0 += BLOCK) {
    const r1 = min(r0 + BLOCK, R);
    for (let c0 = 0; c0 < C; c0 += BLOCK) {
      const c1 = min(c0 + BLOCK, C);
      for (let r = r0; r < r1; r += 4) {
        for (let c = c0; c < c1; c += 4) {
          const from = src + <usize>r * lds + ((<usize>c) << 2);
          const a = v128.load(from);
          const b = v128.load(from + lds);
          const e = v128.load(from + 2 * lds);
          const d = v128.load(from + 3 * lds);
          const t0 = v128.shuffle<f32>(a, b, 0, 4, 1, 5);
          const t1 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
          const t2 = v128.shuffle<f32>(e, d, 0, 4, 1, 5);
          const t3 = v128.shuffle<f32>(e, d, 2, 6, 3, 7);
          const to = dst + <usize>c * ldd + ((<usize>r) << 2);
          v128.store(to, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
          v128.store(to + ldd, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
          v128.store(to + 2 * ldd, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
          v128.store(to + 3 * ldd, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
        }
      }
    }
  }
}

/** g[i] = 0 where h[i] ≤ 0 (ReLU's derivative, from its output), for n % 4 == 0 values. */
export function reluMask(g: usize, h: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 16) {
    const keep = f32x4.gt(v128.load(h + i), zero);
    v128.store(g + i, v128.and(v128.load(g + i), keep));
  }
}

/** out[N] = Σ_rows src[rows×N] (a bias gradient), N % 4 == 0. */
export function columnSums(src: usize, rows: i32, N: i32, out: usize): void {
  const ld = (<usize>N) << 2;
  for (let j: usize = 0; j < ld; j += 16) {
    let sum = f32x4.splat(0);
    let p = src + j;
    for (let r = 0; r < rows; r++) {
      sum = f32x4.add(sum, v128.load(p));
      p += ld;
    }
    v128.store(out + j, sum);
  }
}

/** dst[n] = 0. */
export function zero(dst: usize, n: i32): void {
  memory.fill(dst, 0, (<usize>n) << 2);
}

/** Row r of dst[count×width] = row index[r] of src (i32 indices); dst may then be padded by the host. */
export function gatherRows(src: usize, index: usize, count: i32, width: i32, dst: usize): void {
  const bytes = (<usize>width) << 2;
  for (let r = 0; r < count; r++) {
    const from = <usize>load<i32>(index + ((<usize>r) << 2));
    memory.copy(dst + <usize>r * bytes, src + from * bytes, bytes);
  }
}

// ---------------------------------------------------------------------------------------------
// Losses. Logits and their gradients are [rows × ld], the first C columns real; rows ≥ batch
// (padding) and columns ≥ C get exactly zero gradient. Each returns the batch's mean loss.

/** Teacher: cross-entropy of softmax(logits[:, 0:10]) against labels (i32, one per row). */
export function crossEntropy(logits: usize, labels: usize, batch: i32, rows: i32, ld: i32, grad: usize): f64 {
  memory.fill(grad, 0, (<usize>rows * <usize>ld) << 2);
  let total: f64 = 0;
  const scale = 1.0 / <f64>batch;
  for (let r = 0; r < batch; r++) {
    const z = logits + ((<usize>r * <usize>ld) << 2);
    const g = grad + ((<usize>r * <usize>ld) << 2);
    const label = load<i32>(labels + ((<usize>r) << 2));
    let top: f64 = -Infinity;
    for (let c = 0; c < 10; c++) top = max(top, <f64>load<f32>(z + ((<usize>c) << 2)));
    let sum: f64 = 0;
    for (let c = 0; c < 10; c++) sum += Math.exp(<f64>load<f32>(z + ((<usize>c) << 2)) - top);
    const logSum = Math.log(sum) + top;
    total += logSum - <f64>load<f32>(z + ((<usize>label) << 2));
    for (let c = 0; c < 10; c++) {
      const p = Math.exp(<f64>load<f32>(z + ((<usize>c) << 2)) - logSum);
      store<f32>(g + ((<usize>c) << 2), <f32>((p - (c == label ? 1.0 : 0.0)) * scale));
    }
  }
  return total * scale;
}

/**
 * Student: imitate teacher logits on columns [first, C). kl (mse = 0): mean over the batch of
 * KL(softmax(teacher) ‖ softmax(student)); mse: mean over batch and columns of (student − teacher)².
 */
export function imitation(student: usize, teacher: usize, batch: i32, rows: i32, ld: i32, first: i32, C: i32, mse: i32, grad: usize): f64 {
  memory.fill(grad, 0, (<usize>rows * <usize>ld) << 2);
  let total: f64 = 0;
  if (mse != 0) {
    const scale = 2.0 / (<f64>batch * <f64>(C - first));
    for (let r = 0; r < batch; r++) {
      const row = (<usize>r * <usize>ld) << 2;
      for (let c = first; c < C; c++) {
        const at = row + ((<usize>c) << 2);
        const d = <f64>load<f32>(student + at) - <f64>load<f32>(teacher + at);
        total += d * d;
        store<f32>(grad + at, <f32>(d * scale));
      }
    }
    return total / (<f64>batch * <f64>(C - first));
  }
  const scale = 1.0 / <f64>batch;
  for (let r = 0; r < batch; r++) {
    const row = (<usize>r * <usize>ld) << 2;
    const s = student + row;
    const t = teacher + row;
    let sTop: f64 = -Infinity;
    let tTop: f64 = -Infinity;
    for (let c = first; c < C; c++) {
      sTop = max(sTop, <f64>load<f32>(s + ((<usize>c) << 2)));
      tTop = max(tTop, <f64>load<f32>(t + ((<usize>c) << 2)));
    }
    let sSum: f64 = 0;
    let tSum: f64 = 0;
    for (let c = first; c < C; c++) {
      sSum += Math.exp(<f64>load<f32>(s + ((<usize>c) << 2)) - sTop);
      tSum += Math.exp(<f64>load<f32>(t + ((<usize>c) << 2)) - tTop);
    }
    const sLog = Math.log(sSum) + sTop;
    const tLog = Math.log(tSum) + tTop;
    for (let c = first; c < C; c++) {
      const logPs = <f64>load<f32>(s + ((<usize>c) << 2)) - sLog;
      const logPt = <f64>load<f32>(t + ((<usize>c) << 2)) - tLog;
      const pt = Math.exp(logPt);
      total += pt * (logPt - logPs);
      store<f32>(grad + row + ((<usize>c) << 2), <f32>((Math.exp(logPs) - pt) * scale));
    }
  }
  return total * scale;
}

// ---------------------------------------------------------------------------------------------
// Optimiser and mitigation, element-wise over a model's padded parameters (n % 4 == 0; padding
// has zero gradient, so it stays zero).

/**
 * Adam as the stock step writes it: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
 * p ← p − lr·m̂/(√v̂ + ε), m̂ = m/c1, v̂ = v/c2. The host passes 1−β (rest1, rest2) and the bias
 * corrections c1 = 1−β1^t, c2 = 1−β2^t, computed in f64 and rounded once, as tfjs's scalars are.
 */
export function adam(p: usize, m: usize, v: usize, g: usize, n: i32, beta1: f32, beta2: f32, rest1: f32, rest2: f32, c1: f32, c2: f32, epsilon: f32, lr: f32): void {
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const a1 = f32x4.splat(rest1);
  const a2 = f32x4.splat(rest2);
  // lr·m̂ = m·(lr/c1) and v̂ = v·(1/c2): one division (and the root) per value instead of three,
  // within a rounding of the stock step's order.
  const mScale = f32x4.splat(lr / c1);
  const vScale = f32x4.splat(<f32>1 / c2);
  const eps = f32x4.splat(epsilon);
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 16) {
    const grad = v128.load(g + i);
    const m1 = f32x4.add(f32x4.mul(v128.load(m + i), b1), f32x4.mul(grad, a1));
    const v1 = f32x4.add(f32x4.mul(v128.load(v + i), b2), f32x4.mul(f32x4.mul(grad, grad), a2));
    const step = f32x4.div(f32x4.mul(m1, mScale), f32x4.add(f32x4.sqrt(f32x4.mul(v1, vScale)), eps));
    v128.store(p + i, f32x4.sub(v128.load(p + i), step));
    v128.store(m + i, m1);
    v128.store(v + i, v1);
  }
}

/** Σ a[i]·b[i] over n values, accumulated in f64. */
export function dot(a: usize, b: usize, n: i32): f64 {
  let sum: f64 = 0;
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 4) sum += <f64>load<f32>(a + i) * <f64>load<f32>(b + i);
  return sum;
}

/** g ← g − s·t. */
export function subtractScaled(g: usize, t: usize, s: f32, n: i32): void {
  const scale = f32x4.splat(s);
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 16) v128.store(g + i, f32x4.sub(v128.load(g + i), f32x4.mul(v128.load(t + i), scale)));
}

// ---------------------------------------------------------------------------------------------
// Noise (noiseHash.ts's functions, bit for bit) and accuracy.

// @ts-ignore: decorator
@inline function pcgHash(value: u32): u32 {
  const state = value * 747796405 + 2891336453;
  const word = ((state >> ((state >> 28) + 4)) ^ state) * 277803737;
  return (word >> 22) ^ word;
}

/**
 * Writes noise images into dst[count×784]: image index[r] (i32) of model `model`. drawHashes
 * holds pcgHash(draw) for every draw of an image (784 uniform, 1568 Gaussian), shared by all.
 */
export function noiseImages(dst: usize, drawHashes: usize, seed: u32, model: u32, index: usize, count: i32, gaussian: i32): void {
  const PIXELS = 784;
  const UNIT: f64 = 5.9604644775390625e-8; // 2^-24
  for (let r = 0; r < count; r++) {
    const image = <u32>load<i32>(index + ((<usize>r) << 2));
    const out = dst + ((<usize>r * PIXELS) << 2);
    for (let p = 0; p < PIXELS; p++) {
      let value: f64;
      if (gaussian == 0) {
        const bits = pcgHash(seed ^ pcgHash(model ^ pcgHash(image ^ load<u32>(drawHashes + ((<usize>p) << 2)))));
        value = <f64>(bits >> 8) * UNIT * 2 - 1;
      } else {
        const b1 = pcgHash(seed ^ pcgHash(model ^ pcgHash(image ^ load<u32>(drawHashes + ((<usize>(2 * p)) << 2)))));
        const b2 = pcgHash(seed ^ pcgHash(model ^ pcgHash(image ^ load<u32>(drawHashes + ((<usize>(2 * p + 1)) << 2)))));
        const u1 = <f64>((b1 >> 8) + 1) * UNIT;
        const u2 = <f64>(b2 >> 8) * UNIT;
        value = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      }
      store<f32>(out + ((<usize>p) << 2), <f32>value);
    }
  }
}

/** Rows of logits[rows×ld] whose argmax over columns 0…9 equals labels[r] (i32); the first wins ties, as tfjs's argMax. */
export function countCorrect(logits: usize, labels: usize, rows: i32, ld: i32): i32 {
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const z = logits + ((<usize>r * <usize>ld) << 2);
    let best = 0;
    let top = load<f32>(z);
    for (let c = 1; c < 10; c++) {
      const value = load<f32>(z + ((<usize>c) << 2));
      if (value > top) {
        top = value;
        best = c;
      }
    }
    if (best == load<i32>(labels + ((<usize>r) << 2))) correct++;
  }
  return correct;
}

/** Writes each row's argmax over columns 0…9 into out (i32). */
export function argmaxRows(logits: usize, rows: i32, ld: i32, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const z = logits + ((<usize>r * <usize>ld) << 2);
    let best = 0;
    let top = load<f32>(z);
    for (let c = 1; c < 10; c++) {
      const value = load<f32>(z + ((<usize>c) << 2));
      if (value > top) {
        top = value;
        best = c;
      }
    }
    store<i32>(out + ((<usize>r) << 2), best);
  }
}

/** Where the host may start placing its buffers. */
export function heapBase(): usize {
  return __heap_base;
}
