/**
 * The training step as hand-written WGSL compute programs, run through the tfjs webgpu backend's
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
import { CLASS_COUNT } from '../config';
import type { PackedStack } from './layout';
import type { AdamSettings, LayerInput, LossTarget, StepKernels } from './kernels';
import {
  type Program,
  type Uniform,
  type WebGpuBackend,
  LOSS_THREADS,
  ADAM_THREADS,
  i32,
  f32,
  tensorSource,
  layerSource,
  matmulProgram,
  lossFunctions,
  lossInputs,
  gradientBody,
  sampleLossFunctions,
} from './webgpuPrograms';

// ---------------------------------------------------------------------------------------------

export class WebGpuKernels implements StepKernels {
  readonly name = 'WebGPU programs';
  private readonly backend: WebGpuBackend;
  private readonly maxGroups: number;
  /** Largest buffer a program may bind (WebGPU fails such a dispatch silently, so it is checked here). */
  private readonly maxBindingBytes: number;

  constructor() {
    const backend = tf.backend() as unknown as Partial<WebGpuBackend>;
    if (tf.getBackend() !== 'webgpu' || typeof backend.runWebGPUProgram !== 'function' || !backend.device) {
      throw new Error(`WebGpuKernels need the webgpu backend (the current one is ${tf.getBackend()})`);
    }
    this.backend = backend as WebGpuBackend;
    this.maxGroups = this.backend.device.limits.maxComputeWorkgroupsPerDimension;
    const { maxBufferSize, maxStorageBufferBindingSize } = this.backend.device.limits;
    this.maxBindingBytes = Math.min(maxBufferSize, maxStorageBufferBindingSize);
  }

  /**
   * Records one program. Every binding is described to tfjs as a flat array (the shaders index
   * them flat): tfjs keys its pipeline cache on how input shapes relate to the output's, and
   * real shapes would recompile the same code for, e.g., a frozen stack or a stack of one row.
   * Without `output`, the result is a new tensor of `program.outputShape`.
   */
  private run(program: Program, inputs: tf.TensorInfo[], uniforms: Uniform[], output?: tf.Tensor): tf.Tensor {
    if (program.dispatch.some((groups) => groups > this.maxGroups)) {
      throw new Error(
        `${program.shaderKey}: dispatch ${program.dispatch.join('×')} exceeds the device's ${this.maxGroups} workgroups per dimension`,
      );
    }
    const flat = (t: tf.TensorInfo): tf.TensorInfo => ({
      dataId: t.dataId,
      shape: [tf.util.sizeFromShape(t.shape)],
      dtype: t.dtype,
    });
    const largest =
      Math.max(tf.util.sizeFromShape(program.outputShape), ...inputs.map((t) => tf.util.sizeFromShape(t.shape))) * 4;
    if (largest > this.maxBindingBytes) {
      throw new Error(
        `a ${Math.round(largest / 2 ** 20)} MB buffer exceeds this GPU's ${Math.round(this.maxBindingBytes / 2 ** 20)} MB limit: train fewer models at a time (chunks)`,
      );
    }
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
    const backend = this.backend as unknown as tf.KernelBackend & {
      makeTensorInfo(shape: number[], dtype: tf.DataType): tf.TensorInfo;
    };
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
          values: {
            batch: first.batch,
            inWidth: fanIn,
            rowStride: perModel,
            wOff: weightOffset[layer],
            bOff: biasOffset[layer],
            seed: source.seed,
          },
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

  parameterGradient(
    stack: PackedStack,
    input: LayerInput,
    activations: tf.Tensor3D[],
    logitGradient: tf.Tensor3D,
  ): tf.Tensor2D {
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
      ...f32(
        s.beta1,
        1 - s.beta1,
        s.beta2,
        1 - s.beta2,
        1 - s.beta1 ** s.step,
        1 - s.beta2 ** s.step,
        s.epsilon,
        s.learningRate,
      ),
    ];
    this.run(program, [gradient], uniforms, stack.state);
  }

  dispose(): void {}
}
