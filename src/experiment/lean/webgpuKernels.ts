/**
 * The lean step as hand-written WGSL compute programs, run through the tfjs webgpu backend's
 * custom-program path (`runWebGPUProgram`). A step over a whole stack is a handful of
 * dispatches, whatever the number of rows R, with no readback:
 *
 * - forward: one program per layer (matMul + bias + ReLU), reading the weights in place from the
 *   packed state, and the first layer's input where it lies (gathered image rows, noise made in
 *   the shader, or a tensor);
 * - lossGradient: one program for the gradient, one for the per-row loss;
 * - parameterGradient: per layer one program for dW and db together (db is the product with a
 *   column of ones, and b_l sits right after W_l in a row, so both are one output block), written
 *   in place into one [R, P] tensor; plus one program per hidden layer for the input gradient
 *   (matMul with Wᵀ fused with ReLU's derivative);
 * - adam: one program updating the [3, R, P] state in place.
 *
 * Teacher step: 3L + 2 dispatches for L layers; distillation step: 4L + 2.
 *
 * The matMuls are tiled through workgroup memory; every output element is summed by one
 * invocation in increasing k, so a model's result does not depend on the other rows (R).
 */
import * as tf from '../tf';
import { CLASS_COUNT, INPUT_SIZE } from '../config';
import { noiseWgsl } from '../noiseHash';
import type { PackedStack } from './layout';
import type { AdamSettings, LayerInput, LossTarget, StepKernels } from './kernels';

// ---------------------------------------------------------------------------------------------
// The backend's custom-program interface (tfjs-backend-webgpu's WebGPUProgram, structurally).

interface Program {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y?: number[]; z?: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms?: string;
  getUserCode(): string;
}

interface Uniform {
  type: 'int32' | 'uint32' | 'float32';
  data: number[];
}

interface WebGpuBackend {
  runWebGPUProgram(program: Program, inputs: tf.TensorInfo[], outputDtype: tf.DataType, uniforms?: Uniform[], output?: tf.TensorInfo): tf.TensorInfo;
  tensorMap: { get(dataId: tf.DataId): { values: unknown } | undefined };
  device: GPUDevice;
}

/** Matmul tiles: 16×16 invocations, each computing RM×RN outputs; 16 deep in k. */
const THREADS = 16;
const TILE_K = 16;
/** Invocations per workgroup in the flat programs. */
const LOSS_THREADS = 64;
const ADAM_THREADS = 256;

const blockFor = (extent: number) => (extent >= 48 ? 4 : extent >= 24 ? 2 : 1);

const i32 = (...data: number[]): Uniform[] => data.map((value) => ({ type: 'int32', data: [value] }));
const f32 = (...data: number[]): Uniform[] => data.map((value) => ({ type: 'float32', data: [value] }));

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

function tensorSource(x: tf.Tensor3D): Source {
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
function layerSource(input: LayerInput, rows: number): Source {
  if (input.kind === 'tensor') {
    if (input.x.shape[0] !== rows) throw new Error(`input has ${input.x.shape[0]} rows, the stack ${rows}`);
    return tensorSource(input.x);
  }
  if (input.index.length !== rows * input.batch) throw new Error(`index has ${input.index.length} entries, expected ${rows} × ${input.batch}`);
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
  if (input.models.length !== rows) throw new Error(`noise input has ${input.models.length} models, the stack ${rows} rows`);
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

const MATMUL_UNIFORMS = 'dimM : i32, dimN : i32, dimK : i32, batch : i32, inWidth : i32, rowStride : i32, wOff : i32, bOff : i32, seed : u32,';

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

function matmulProgram(spec: MatmulSpec): { program: Program; uniforms: Uniform[] } {
  const rm = blockFor(spec.dims.m);
  const rn = blockFor(spec.dims.n);
  const tm = THREADS * rm;
  const tn = THREADS * rn;
  const count = THREADS * THREADS;
  const accumulators: string[] = [];
  const products: string[] = [];
  const writes: string[] = [];
  const aLoads: string[] = [];
  const bLoads: string[] = [];
  for (let i = 0; i < rm; i++) aLoads.push(`let a${i} = tileA[kk * ${tm} + ty * ${rm} + ${i}];`);
  for (let j = 0; j < rn; j++) bLoads.push(`let b${j} = tileB[kk * ${tn} + tx * ${rn} + ${j}];`);
  for (let i = 0; i < rm; i++) {
    for (let j = 0; j < rn; j++) {
      accumulators.push(`var acc${i}_${j} = 0.0;`);
      products.push(`acc${i}_${j} = acc${i}_${j} + a${i} * b${j};`);
      writes.push(`if (m0 + ty * ${rm} + ${i} < uniforms.dimM && n0 + tx * ${rn} + ${j} < uniforms.dimN) {
      writeOut(r, m0 + ty * ${rm} + ${i}, n0 + tx * ${rn} + ${j}, acc${i}_${j});
    }`);
    }
  }
  const aIndex = spec.aKFast ? `let kk = e % ${TILE_K}; let mm = e / ${TILE_K};` : `let mm = e % ${tm}; let kk = e / ${tm};`;
  const bIndex = spec.bKFast ? `let kk = e % ${TILE_K}; let nn = e / ${TILE_K};` : `let nn = e % ${tn}; let kk = e / ${tn};`;
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

function lossFunctions(target: LossTarget): string {
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

function lossInputs(logits: tf.Tensor3D, target: LossTarget): { names: string[]; tensors: tf.Tensor[]; owned: tf.Tensor[]; key: string } {
  const [rows, batch] = logits.shape;
  if (target.kind === 'labels') {
    if (target.batch !== batch || target.index.length !== rows * batch) throw new Error('label index does not match the logits');
    const sample = tf.tensor1d(target.index, 'int32');
    return { names: ['logits', 'labels', 'inSample'], tensors: [logits, target.labels, sample], owned: [sample], key: 'labels' };
  }
  if (target.auxOnly.length !== rows) throw new Error(`auxOnly has ${target.auxOnly.length} rows, the logits ${rows}`);
  if (!tf.util.arraysEqual(target.teacher.shape, logits.shape)) throw new Error('teacher and student logits differ in shape');
  const first = tf.tensor1d(Int32Array.from(target.auxOnly, (aux) => (aux ? CLASS_COUNT : 0)), 'int32');
  return { names: ['logits', 'teacher', 'inFirst'], tensors: [logits, target.teacher, first], owned: [first], key: `distill-${target.loss}` };
}

function gradientBody(target: LossTarget): string {
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
function sampleLossFunctions(target: LossTarget): string {
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

// ---------------------------------------------------------------------------------------------

export class WebGpuKernels implements StepKernels {
  readonly name = 'WebGPU programs';
  private readonly backend: WebGpuBackend;
  private readonly maxGroups: number;

  constructor() {
    const backend = tf.backend() as unknown as Partial<WebGpuBackend>;
    if (tf.getBackend() !== 'webgpu' || typeof backend.runWebGPUProgram !== 'function' || !backend.device) {
      throw new Error(`WebGpuKernels need the webgpu backend (the current one is ${tf.getBackend()})`);
    }
    this.backend = backend as WebGpuBackend;
    this.maxGroups = this.backend.device.limits.maxComputeWorkgroupsPerDimension;
  }

  /**
   * Records one program. Every binding is described to tfjs as a flat array (the shaders index
   * them flat): tfjs keys its pipeline cache on how input shapes relate to the output's, and
   * real shapes would recompile the same code for, e.g., a frozen stack or a stack of one row.
   * Without `output`, the result is a new tensor of `program.outputShape`.
   */
  private run(program: Program, inputs: tf.TensorInfo[], uniforms: Uniform[], output?: tf.Tensor): tf.Tensor {
    if (program.dispatch.some((groups) => groups > this.maxGroups)) {
      throw new Error(`${program.shaderKey}: dispatch ${program.dispatch.join('×')} exceeds the device's ${this.maxGroups} workgroups per dimension`);
    }
    const flat = (t: tf.TensorInfo): tf.TensorInfo => ({ dataId: t.dataId, shape: [tf.util.sizeFromShape(t.shape)], dtype: t.dtype });
    const result = output ?? this.empty(program.outputShape);
    try {
      this.backend.runWebGPUProgram(program, inputs.map(flat), 'float32', uniforms, flat(result));
    } catch (error) {
      if (!output) result.dispose();
      throw error;
    }
    // Written in place: values the backend cached on the CPU (after a read) would be stale now.
    const data = this.backend.tensorMap.get(result.dataId);
    if (data) data.values = null;
    return result;
  }

  /** An uninitialised float32 tensor on the device (every element must be written by programs). */
  private empty(shape: number[]): tf.Tensor {
    const backend = this.backend as unknown as tf.KernelBackend & { makeTensorInfo(shape: number[], dtype: tf.DataType): tf.TensorInfo };
    return tf.engine().makeTensorFromTensorInfo(backend.makeTensorInfo(shape, 'float32'), backend);
  }

  forward(stack: PackedStack, input: LayerInput): tf.Tensor3D[] {
    const { sizes, perModel, weightOffset, biasOffset } = stack.layout;
    const rows = stack.rows;
    const layers = sizes.length - 1;
    const first = layerSource(input, rows);
    const activations: tf.Tensor3D[] = [];
    try {
      if (first.width !== sizes[0]) throw new Error(`input width ${first.width}, the stack takes ${sizes[0]}`);
      let source = first;
      for (let layer = 0; layer < layers; layer++) {
        const [fanIn, fanOut] = [sizes[layer], sizes[layer + 1]];
        const relu = layer < layers - 1;
        const { program, uniforms } = matmulProgram({
          key: `forward_${source.key}_${relu}`,
          names: [...source.names, 'params'],
          outputShape: [rows, first.batch, fanOut],
          dims: { m: first.batch, n: fanOut, k: fanIn },
          aKFast: true,
          bKFast: false,
          functions: `${source.code}
fn readA(r: i32, m: i32, k: i32) -> f32 { return inputAt(r, m, k); }
fn readB(r: i32, k: i32, n: i32) -> f32 { return params[r * uniforms.rowStride + uniforms.wOff + k * uniforms.dimN + n]; }
fn writeOut(r: i32, m: i32, n: i32, acc: f32) {
  let z = acc + params[r * uniforms.rowStride + uniforms.bOff + n];
  result[(r * uniforms.dimM + m) * uniforms.dimN + n] = ${relu ? 'max(z, 0.0)' : 'z'};
}`,
          values: { batch: first.batch, inWidth: fanIn, rowStride: perModel, wOff: weightOffset[layer], bOff: biasOffset[layer], seed: source.seed },
          rows,
        });
        const h = this.run(program, source.tensors.concat(stack.state), uniforms) as tf.Tensor3D;
        activations.push(h);
        source = tensorSource(h);
      }
      return activations;
    } catch (error) {
      tf.dispose(activations);
      throw error;
    } finally {
      tf.dispose(first.owned);
    }
  }

  lossGradient(logits: tf.Tensor3D, target: LossTarget): { gradient: tf.Tensor3D; loss: tf.Tensor1D } {
    const [rows, batch, width] = logits.shape;
    if (width < CLASS_COUNT) throw new Error(`logits have ${width} columns, fewer than the ${CLASS_COUNT} classes`);
    const { names, tensors, owned, key } = lossInputs(logits, target);
    const uniforms = i32(batch, width);
    const common = lossFunctions(target);
    try {
      const gradientCode = `${common}
fn main() {
  let r = i32(workgroupId.y);
  let b = i32(globalId.x);
  if (b >= uniforms.batch) { return; }
  let base = (r * uniforms.batch + b) * uniforms.width;
  ${gradientBody(target)}
}`;
      const gradientProgram: Program = {
        variableNames: names,
        outputShape: [rows, batch, width],
        shaderKey: `leanLossGradient_${key}`,
        dispatchLayout: { x: [0], y: [1], z: [2] },
        dispatch: [Math.ceil(batch / LOSS_THREADS), rows, 1],
        workgroupSize: [LOSS_THREADS, 1, 1],
        uniforms: 'batch : i32, width : i32,',
        getUserCode: () => gradientCode,
      };
      const lossCode = `${common}
${sampleLossFunctions(target)}
var<workgroup> partial : array<f32, ${LOSS_THREADS}>;
fn main() {
  let r = i32(workgroupId.x);
  let t = i32(localIndex);
  var total = 0.0;
  for (var b = t; b < uniforms.batch; b = b + ${LOSS_THREADS}) { total = total + sampleLoss(r, b); }
  partial[t] = total;
  workgroupBarrier();
  for (var span = ${LOSS_THREADS / 2}; span > 0; span = span / 2) {
    if (t < span) { partial[t] = partial[t] + partial[t + span]; }
    workgroupBarrier();
  }
  if (t == 0) { result[r] = partial[0] / lossDivisor(r); }
}`;
      const lossProgram: Program = {
        variableNames: names,
        outputShape: [rows],
        shaderKey: `leanLoss_${key}`,
        dispatchLayout: { x: [0], y: [1], z: [2] },
        dispatch: [rows, 1, 1],
        workgroupSize: [LOSS_THREADS, 1, 1],
        uniforms: 'batch : i32, width : i32,',
        getUserCode: () => lossCode,
      };
      const gradient = this.run(gradientProgram, tensors, uniforms) as tf.Tensor3D;
      try {
        const loss = this.run(lossProgram, tensors, uniforms) as tf.Tensor1D;
        return { gradient, loss };
      } catch (error) {
        gradient.dispose();
        throw error;
      }
    } finally {
      tf.dispose(owned);
    }
  }

  parameterGradient(stack: PackedStack, input: LayerInput, activations: tf.Tensor3D[], logitGradient: tf.Tensor3D): tf.Tensor2D {
    const { sizes, perModel, weightOffset } = stack.layout;
    const rows = stack.rows;
    const layers = sizes.length - 1;
    if (activations.length !== layers) throw new Error(`${activations.length} activations for ${layers} layers`);
    const batch = logitGradient.shape[1];
    const gradient = this.empty([rows, perModel]) as tf.Tensor2D;
    const first = layerSource(input, rows);
    let dz = logitGradient;
    try {
      if (first.width !== sizes[0]) throw new Error(`input width ${first.width}, the stack takes ${sizes[0]}`);
      if (first.batch !== batch) throw new Error(`input batch ${first.batch}, the gradient's ${batch}`);
      for (let layer = layers - 1; layer >= 0; layer--) {
        const [fanIn, fanOut] = [sizes[layer], sizes[layer + 1]];
        const source = layer === 0 ? first : tensorSource(activations[layer - 1]);
        // [dW; db] = [x, 1]ᵀ · dz: the (fanIn+1)×fanOut block at W_l's offset (b_l follows W_l).
        const weights = matmulProgram({
          key: `weightGradient_${source.key}`,
          names: [...source.names, 'dz'],
          outputShape: [rows, perModel],
          dims: { m: fanIn + 1, n: fanOut, k: batch },
          aKFast: false,
          bKFast: false,
          functions: `${source.code}
fn readA(r: i32, m: i32, k: i32) -> f32 {
  if (m == uniforms.inWidth) { return 1.0; }
  return inputAt(r, k, m);
}
fn readB(r: i32, k: i32, n: i32) -> f32 { return dz[(r * uniforms.batch + k) * uniforms.dimN + n]; }
fn writeOut(r: i32, m: i32, n: i32, acc: f32) {
  result[r * uniforms.rowStride + uniforms.wOff + m * uniforms.dimN + n] = acc;
}`,
          values: { batch, inWidth: fanIn, rowStride: perModel, wOff: weightOffset[layer], bOff: 0, seed: source.seed },
          rows,
        });
        this.run(weights.program, [...source.tensors, dz], weights.uniforms, gradient);
        if (layer === 0) break;
        // dz_{l-1} = (dz_l · W_lᵀ) ⊙ (h_{l-1} > 0).
        const previous = activations[layer - 1];
        const back = matmulProgram({
          key: 'inputGradient',
          names: ['dz', 'params', 'hidden'],
          outputShape: [rows, batch, fanIn],
          dims: { m: batch, n: fanIn, k: fanOut },
          aKFast: true,
          bKFast: true,
          functions: `
fn readA(r: i32, m: i32, k: i32) -> f32 { return dz[(r * uniforms.dimM + m) * uniforms.dimK + k]; }
fn readB(r: i32, k: i32, n: i32) -> f32 { return params[r * uniforms.rowStride + uniforms.wOff + n * uniforms.dimK + k]; }
fn writeOut(r: i32, m: i32, n: i32, acc: f32) {
  let i = (r * uniforms.dimM + m) * uniforms.dimN + n;
  result[i] = select(0.0, acc, hidden[i] > 0.0);
}`,
          values: { batch, inWidth: fanIn, rowStride: perModel, wOff: weightOffset[layer], bOff: 0, seed: 0 },
          rows,
        });
        const next = this.run(back.program, [dz, stack.state, previous], back.uniforms) as tf.Tensor3D;
        if (dz !== logitGradient) dz.dispose();
        dz = next;
      }
      return gradient;
    } catch (error) {
      gradient.dispose();
      throw error;
    } finally {
      if (dz !== logitGradient) dz.dispose();
      tf.dispose(first.owned);
    }
  }

  adam(stack: PackedStack, gradient: tf.Tensor2D, s: AdamSettings): void {
    if (!stack.trainable) throw new Error('cannot train a frozen stack');
    const count = stack.rows * stack.layout.perModel;
    if (gradient.size !== count) throw new Error(`gradient has ${gradient.size} values, the stack ${count}`);
    const code = `
fn main() {
  let n = uniforms.elements;
  let stride = numWorkgroups.x * ${ADAM_THREADS}u;
  for (var i = globalId.x; i < n; i = i + stride) {
    let g = gradient[i];
    let m = result[n + i] * uniforms.beta1 + g * uniforms.oneMinusBeta1;
    let v = result[2u * n + i] * uniforms.beta2 + (g * g) * uniforms.oneMinusBeta2;
    let mHat = m / uniforms.correction1;
    let vHat = v / uniforms.correction2;
    result[n + i] = m;
    result[2u * n + i] = v;
    result[i] = result[i] - (mHat / (sqrt(vHat) + uniforms.epsilon)) * uniforms.learningRate;
  }
}`;
    const program: Program = {
      variableNames: ['gradient'],
      outputShape: stack.state.shape,
      shaderKey: 'leanAdam',
      dispatchLayout: { x: [0], y: [1], z: [2] },
      dispatch: [Math.max(1, Math.min(Math.ceil(count / ADAM_THREADS), this.maxGroups)), 1, 1],
      workgroupSize: [ADAM_THREADS, 1, 1],
      uniforms:
        'elements : u32, beta1 : f32, oneMinusBeta1 : f32, beta2 : f32, oneMinusBeta2 : f32, correction1 : f32, correction2 : f32, epsilon : f32, learningRate : f32,',
      getUserCode: () => code,
    };
    const uniforms: Uniform[] = [
      { type: 'uint32', data: [count] },
      ...f32(s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, 1 - s.beta1 ** s.step, 1 - s.beta2 ** s.step, s.epsilon, s.learningRate),
    ];
    this.run(program, [gradient], uniforms, stack.state);
  }

  dispose(): void {}
}
