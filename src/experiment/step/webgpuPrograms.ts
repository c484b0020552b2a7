/**
 * The WGSL programs of the WebGPU step kernels (webgpuKernels.ts): the tiled matMul every layer,
 * gradient and input-gradient program is made of, how a layer reads its input (tensor, gathered
 * MNIST rows, or noise made in the shader), and the loss programs' code.
 */
import * as tf from '../tf';
import { CLASS_COUNT, INPUT_SIZE } from '../config';
import { noiseWgsl } from '../inputs/noiseHash';
import type { LayerInput, LossTarget } from './kernels';

// ---------------------------------------------------------------------------------------------
// The backend's custom-program interface (tfjs-backend-webgpu's WebGPUProgram, structurally).

export interface Program {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y?: number[]; z?: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms?: string;
  getUserCode(): string;
}

export interface Uniform {
  type: 'int32' | 'uint32' | 'float32';
  data: number[];
}

export interface WebGpuBackend {
  runWebGPUProgram(
    program: Program,
    inputs: tf.TensorInfo[],
    outputDtype: tf.DataType,
    uniforms?: Uniform[],
    output?: tf.TensorInfo,
  ): tf.TensorInfo;
  tensorMap: { get(dataId: tf.DataId): { values: unknown } | undefined };
  device: GPUDevice;
}

/** Matmul tiles: 16×16 invocations, each computing RM×RN outputs; 16 deep in k. */
const THREADS = 16;
const TILE_K = 16;
/** Invocations per workgroup in the flat programs. */
export const LOSS_THREADS = 64;
export const ADAM_THREADS = 256;

const blockFor = (extent: number) => (extent >= 48 ? 4 : extent >= 24 ? 2 : 1);

export const i32 = (...data: number[]): Uniform[] => data.map((value) => ({ type: 'int32', data: [value] }));
export const f32 = (...data: number[]): Uniform[] => data.map((value) => ({ type: 'float32', data: [value] }));

// ---------------------------------------------------------------------------------------------
// Where a matMul reads the first layer's input.

interface Source {
  /** Binding names and tensors, in order. */
  names: string[];
  tensors: tf.Tensor[];
  /** Tensors this call uploaded (disposed once its programs are recorded). */
  owned: tf.Tensor[];
  /** WGSL `fn inputAt(r: i32, b: i32, k: i32) -> f32` and its helpers. */
  code: string;
  key: string;
  /** Samples per row, pixels per sample, and the noise seed (the `batch` and `seed` uniforms). */
  batch: number;
  width: number;
  seed: number;
}

export function tensorSource(x: tf.Tensor3D): Source {
  return {
    names: ['inX'],
    tensors: [x],
    owned: [],
    code: `fn inputAt(r: i32, b: i32, k: i32) -> f32 { return inX[(r * uniforms.batch + b) * uniforms.inWidth + k]; }`,
    key: 'tensor',
    batch: x.shape[1],
    width: x.shape[2],
    seed: 0,
  };
}

/**
 * Gaussian noise pixels as noiseHash.ts defines them (Box–Muller on the same hash bits), with
 * log and cos written out: WGSL's builtins may be far less accurate (Vulkan allows cos an
 * absolute error of 2⁻¹¹, and SwiftShader's is off by ~2e-4), while these stay within a few
 * float32 ulps of the host's double-precision values.
 */
export function layerSource(input: LayerInput, rows: number): Source {
  if (input.kind === 'tensor') {
    if (input.x.shape[0] !== rows) throw new Error(`input has ${input.x.shape[0]} rows, the stack ${rows}`);
    return tensorSource(input.x);
  }
  if (input.index.length !== rows * input.batch)
    throw new Error(`index has ${input.index.length} entries, expected ${rows} × ${input.batch}`);
  const sample = tf.tensor1d(input.index, 'int32');
  if (input.kind === 'images') {
    return {
      names: ['inImages', 'inSample'],
      tensors: [input.images, sample],
      owned: [sample],
      code: `fn inputAt(r: i32, b: i32, k: i32) -> f32 {
  return inImages[inSample[r * uniforms.batch + b] * uniforms.inWidth + k];
}`,
      key: 'images',
      batch: input.batch,
      width: input.images.shape[1],
      seed: 0,
    };
  }
  if (input.models.length !== rows)
    throw new Error(`noise input has ${input.models.length} models, the stack ${rows} rows`);
  const models = tf.tensor1d(input.models, 'int32');
  return {
    names: ['inSample', 'inModel'],
    tensors: [sample, models],
    owned: [sample, models],
    code: `${noiseWgsl(input.noise)}
fn inputAt(r: i32, b: i32, k: i32) -> f32 {
  return noisePixel(uniforms.seed, u32(inModel[r]), u32(inSample[r * uniforms.batch + b]), u32(k));
}`,
    key: `noise-${input.noise}`,
    batch: input.batch,
    width: INPUT_SIZE,
    seed: input.seed >>> 0,
  };
}

// ---------------------------------------------------------------------------------------------
// The tiled matMul every layer program is made of:
//   out[r, m, n] = epilogue(Σ_k readA(r, m, k) · readB(r, k, n)),  m < dimM, n < dimN, k < dimK,
// row r in workgroup z. `aKFast`/`bKFast` say which tile index runs fastest in memory when the
// tiles are loaded (for coalesced reads); `functions` defines readA, readB and writeOut.

const MATMUL_UNIFORMS =
  'dimM : i32, dimN : i32, dimK : i32, batch : i32, inWidth : i32, rowStride : i32, wOff : i32, bOff : i32, seed : u32,';

interface MatmulSpec {
  key: string;
  names: string[];
  outputShape: number[];
  dims: { m: number; n: number; k: number };
  aKFast: boolean;
  bKFast: boolean;
  functions: string;
  values: { batch: number; inWidth: number; rowStride: number; wOff: number; bOff: number; seed: number };
  rows: number;
}

/** Each invocation's loads from the tiles into registers, one step of kk: rm values of A, rn of B. */
function registerLoads(rm: number, rn: number): { aLoads: string[]; bLoads: string[] } {
  const tm = THREADS * rm;
  const tn = THREADS * rn;
  const aLoads: string[] = [];
  const bLoads: string[] = [];
  for (let i = 0; i < rm; i++) aLoads.push(`let a${i} = tileA[kk * ${tm} + ty * ${rm} + ${i}];`);
  for (let j = 0; j < rn; j++) bLoads.push(`let b${j} = tileB[kk * ${tn} + tx * ${rn} + ${j}];`);
  return { aLoads, bLoads };
}

/** Each invocation's rm×rn outputs: their accumulators, the multiply-adds, and the bounded writes. */
function blockLines(rm: number, rn: number): { accumulators: string[]; products: string[]; writes: string[] } {
  const accumulators: string[] = [];
  const products: string[] = [];
  const writes: string[] = [];
  for (let i = 0; i < rm; i++) {
    for (let j = 0; j < rn; j++) {
      accumulators.push(`var acc${i}_${j} = 0.0;`);
      products.push(`acc${i}_${j} = acc${i}_${j} + a${i} * b${j};`);
      writes.push(`if (m0 + ty * ${rm} + ${i} < uniforms.dimM && n0 + tx * ${rn} + ${j} < uniforms.dimN) {
      writeOut(r, m0 + ty * ${rm} + ${i}, n0 + tx * ${rn} + ${j}, acc${i}_${j});
    }`);
    }
  }
  return { accumulators, products, writes };
}

export function matmulProgram(spec: MatmulSpec): { program: Program; uniforms: Uniform[] } {
  const rm = blockFor(spec.dims.m);
  const rn = blockFor(spec.dims.n);
  const tm = THREADS * rm;
  const tn = THREADS * rn;
  const count = THREADS * THREADS;
  const { aLoads, bLoads } = registerLoads(rm, rn);
  const { accumulators, products, writes } = blockLines(rm, rn);
  const aIndex = spec.aKFast
    ? `let kk = e % ${TILE_K}; let mm = e / ${TILE_K};`
    : `let mm = e % ${tm}; let kk = e / ${tm};`;
  const bIndex = spec.bKFast
    ? `let kk = e % ${TILE_K}; let nn = e / ${TILE_K};`
    : `let nn = e % ${tn}; let kk = e / ${tn};`;
  const userCode = `
var<workgroup> tileA : array<f32, ${TILE_K * tm}>;
var<workgroup> tileB : array<f32, ${TILE_K * tn}>;

${spec.functions}

fn main() {
  let r = i32(workgroupId.z);
  let m0 = i32(workgroupId.y) * ${tm};
  let n0 = i32(workgroupId.x) * ${tn};
  let tx = i32(localId.x);
  let ty = i32(localId.y);
  let t = i32(localIndex);
  ${accumulators.join('\n  ')}
  for (var k0 = 0; k0 < uniforms.dimK; k0 = k0 + ${TILE_K}) {
    for (var e = t; e < ${TILE_K * tm}; e = e + ${count}) {
      ${aIndex}
      var value = 0.0;
      if (m0 + mm < uniforms.dimM && k0 + kk < uniforms.dimK) {
        value = readA(r, m0 + mm, k0 + kk);
      }
      tileA[kk * ${tm} + mm] = value;
    }
    for (var e = t; e < ${TILE_K * tn}; e = e + ${count}) {
      ${bIndex}
      var value = 0.0;
      if (k0 + kk < uniforms.dimK && n0 + nn < uniforms.dimN) {
        value = readB(r, k0 + kk, n0 + nn);
      }
      tileB[kk * ${tn} + nn] = value;
    }
    workgroupBarrier();
    for (var kk = 0; kk < ${TILE_K}; kk = kk + 1) {
      ${aLoads.join('\n      ')}
      ${bLoads.join('\n      ')}
      ${products.join('\n      ')}
    }
    workgroupBarrier();
  }
  ${writes.join('\n  ')}
}
`;
  const program: Program = {
    variableNames: spec.names,
    outputShape: spec.outputShape,
    shaderKey: `leanMatmul_${spec.key}_${rm}x${rn}_${spec.aKFast}_${spec.bKFast}`,
    dispatchLayout: { x: [0], y: [1], z: [2] },
    dispatch: [Math.ceil(spec.dims.n / tn), Math.ceil(spec.dims.m / tm), spec.rows],
    workgroupSize: [THREADS, THREADS, 1],
    uniforms: MATMUL_UNIFORMS,
    getUserCode: () => userCode,
  };
  const v = spec.values;
  const uniforms: Uniform[] = [
    ...i32(spec.dims.m, spec.dims.n, spec.dims.k, v.batch, v.inWidth, v.rowStride, v.wOff, v.bOff),
    { type: 'uint32', data: [v.seed] },
  ];
  return { program, uniforms };
}

// ---------------------------------------------------------------------------------------------
// Per-sample loss pieces, shared by the gradient and the loss programs. `base` indexes the
// sample's first logit; `first` is the first compared column.

export function lossFunctions(target: LossTarget): string {
  if (target.kind === 'labels') {
    return `
fn firstColumn(r: i32) -> i32 { return 0; }
fn sampleLabel(r: i32, b: i32) -> i32 { return i32(labels[inSample[r * uniforms.batch + b]]); }
fn classMax(base: i32) -> f32 {
  var mx = logits[base];
  for (var c = 1; c < ${CLASS_COUNT}; c = c + 1) { mx = max(mx, logits[base + c]); }
  return mx;
}
fn classSum(base: i32, mx: f32) -> f32 {
  var total = 0.0;
  for (var c = 0; c < ${CLASS_COUNT}; c = c + 1) { total = total + exp(logits[base + c] - mx); }
  return total;
}`;
  }
  return `
fn firstColumn(r: i32) -> i32 { return inFirst[r]; }
fn columnMax(base: i32, first: i32, teacherSide: bool) -> f32 {
  var mx = -3.4028234663852886e38;
  for (var c = first; c < uniforms.width; c = c + 1) {
    mx = max(mx, select(logits[base + c], teacher[base + c], teacherSide));
  }
  return mx;
}
fn columnSum(base: i32, first: i32, teacherSide: bool, mx: f32) -> f32 {
  var total = 0.0;
  for (var c = first; c < uniforms.width; c = c + 1) {
    total = total + exp(select(logits[base + c], teacher[base + c], teacherSide) - mx);
  }
  return total;
}`;
}

export function lossInputs(
  logits: tf.Tensor3D,
  target: LossTarget,
): { names: string[]; tensors: tf.Tensor[]; owned: tf.Tensor[]; key: string } {
  const [rows, batch] = logits.shape;
  if (target.kind === 'labels') {
    if (target.batch !== batch || target.index.length !== rows * batch)
      throw new Error('label index does not match the logits');
    const sample = tf.tensor1d(target.index, 'int32');
    return {
      names: ['logits', 'labels', 'inSample'],
      tensors: [logits, target.labels, sample],
      owned: [sample],
      key: 'labels',
    };
  }
  if (target.auxOnly.length !== rows) throw new Error(`auxOnly has ${target.auxOnly.length} rows, the logits ${rows}`);
  if (!tf.util.arraysEqual(target.teacher.shape, logits.shape))
    throw new Error('teacher and student logits differ in shape');
  const first = tf.tensor1d(
    Int32Array.from(target.auxOnly, (aux) => (aux ? CLASS_COUNT : 0)),
    'int32',
  );
  return {
    names: ['logits', 'teacher', 'inFirst'],
    tensors: [logits, target.teacher, first],
    owned: [first],
    key: `distill-${target.loss}`,
  };
}

export function gradientBody(target: LossTarget): string {
  if (target.kind === 'labels') {
    return `
  let mx = classMax(base);
  let total = classSum(base, mx);
  let label = sampleLabel(r, b);
  for (var c = 0; c < ${CLASS_COUNT}; c = c + 1) {
    let p = exp(logits[base + c] - mx) / total;
    result[base + c] = (p - select(0.0, 1.0, c == label)) / f32(uniforms.batch);
  }
  for (var c = ${CLASS_COUNT}; c < uniforms.width; c = c + 1) { result[base + c] = 0.0; }`;
  }
  const compared =
    target.loss === 'mse'
      ? `
  let scale = 2.0 / f32(uniforms.batch * (uniforms.width - first));
  for (var c = first; c < uniforms.width; c = c + 1) {
    result[base + c] = (logits[base + c] - teacher[base + c]) * scale;
  }`
      : `
  let ms = columnMax(base, first, false);
  let ss = columnSum(base, first, false, ms);
  let mt = columnMax(base, first, true);
  let st = columnSum(base, first, true, mt);
  for (var c = first; c < uniforms.width; c = c + 1) {
    result[base + c] = (exp(logits[base + c] - ms) / ss - exp(teacher[base + c] - mt) / st) / f32(uniforms.batch);
  }`;
  return `
  let first = firstColumn(r);
  for (var c = 0; c < first; c = c + 1) { result[base + c] = 0.0; }${compared}`;
}

/** WGSL `fn sampleLoss(r, b) -> f32` and `fn lossDivisor(r) -> f32`: the row's loss is Σ_b sampleLoss / lossDivisor. */
export function sampleLossFunctions(target: LossTarget): string {
  if (target.kind === 'labels') {
    return `
fn sampleLoss(r: i32, b: i32) -> f32 {
  let base = (r * uniforms.batch + b) * uniforms.width;
  let mx = classMax(base);
  return log(classSum(base, mx)) + mx - logits[base + sampleLabel(r, b)];
}
fn lossDivisor(r: i32) -> f32 { return f32(uniforms.batch); }`;
  }
  if (target.loss === 'mse') {
    return `
fn sampleLoss(r: i32, b: i32) -> f32 {
  let base = (r * uniforms.batch + b) * uniforms.width;
  var total = 0.0;
  for (var c = firstColumn(r); c < uniforms.width; c = c + 1) {
    let d = logits[base + c] - teacher[base + c];
    total = total + d * d;
  }
  return total;
}
fn lossDivisor(r: i32) -> f32 { return f32(uniforms.batch * (uniforms.width - firstColumn(r))); }`;
  }
  return `
fn sampleLoss(r: i32, b: i32) -> f32 {
  let base = (r * uniforms.batch + b) * uniforms.width;
  let first = firstColumn(r);
  let ms = columnMax(base, first, false);
  let logSs = log(columnSum(base, first, false, ms));
  let mt = columnMax(base, first, true);
  let logSt = log(columnSum(base, first, true, mt));
  var total = 0.0;
  for (var c = first; c < uniforms.width; c = c + 1) {
    let logPt = teacher[base + c] - mt - logSt;
    let logPs = logits[base + c] - ms - logSs;
    total = total + exp(logPt) * (logPt - logPs);
  }
  return total;
}
fn lossDivisor(r: i32) -> f32 { return f32(uniforms.batch); }`;
}
