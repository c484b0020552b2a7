/** Numbers and states in words for the page. */
import type { BackendChoice } from '../../experiment/device/backend';
import type { Phase } from '../../experiment/events';

export function percent(fraction: number, digits = 0): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** An accuracy as a percentage with one decimal, as the result table shows it: "53.7%". */
export function accuracyPercent(fraction: number): string {
  return percent(fraction, 1);
}

/** A 95% interval's half-width in percentage points: "± 4.5 points". */
export function percentPoints(fraction: number): string {
  return `± ${(fraction * 100).toFixed(1)} points`;
}

/** An accuracy as the CLI table prints it: 0.537. */
export function accuracy(value: number): string {
  return value.toFixed(3);
}

/**
 * A measured number with its sign always written (+0.0123, −0.00456, +1.20e-5), three significant
 * digits by default, so small effects of either sign read at a glance.
 */
export function signed(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const size = Math.abs(value);
  const text = size < 1e-3 || size >= 1e4 ? size.toExponential(digits - 1) : size.toPrecision(digits);
  return `${value < 0 ? '−' : '+'}${text}`;
}

/** A step size such as ε: 0.001, 0.0316, 1. */
export function stepSize(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export function rate(stepsPerSecond: number): string {
  return stepsPerSecond >= 10 ? stepsPerSecond.toFixed(0) : stepsPerSecond.toFixed(1);
}

export const PHASE_WORDS: Record<Phase, string> = {
  prepare: 'Getting ready',
  teacher: 'Stage 1 · The teacher learns digits',
  distill: 'Stage 3 · The students imitate the teacher on noise',
  evaluate: 'Stage 4 · Testing every model',
  theorem: 'Stage 5 · Why it happens: the one-step theorem',
};

const BACKEND_WORDS: Record<BackendChoice['name'], string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'wasm',
  cpu: 'CPU',
};

/** What each CPU backend is, in a word a lay reader may know. */
const CPU_WORDS: Partial<Record<BackendChoice['name'], string>> = {
  wasm: 'WebAssembly',
  cpu: 'plain JavaScript',
};

/** Adapter vendors as they are usually written; the adapter string gives them in lower case. */
const VENDORS: Record<string, string> = {
  nvidia: 'NVIDIA',
  amd: 'AMD',
  ati: 'AMD',
  intel: 'Intel',
  apple: 'Apple',
  qualcomm: 'Qualcomm',
  arm: 'Arm',
  google: 'Google',
  microsoft: 'Microsoft',
  imagination: 'Imagination',
  samsung: 'Samsung',
  mesa: 'Mesa',
};

/**
 * Renderers that draw on the CPU (the engine's SOFTWARE_RENDERER, copied: importing it would pull
 * TensorFlow.js into the page's own bundle).
 */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render driver|microsoft basic/i;

const SOFTWARE_NAMES: [RegExp, string][] = [
  [/swiftshader/i, 'SwiftShader'],
  [/llvmpipe/i, 'llvmpipe'],
  [/softpipe/i, 'softpipe'],
  [/basic render driver/i, 'Microsoft Basic Render Driver'],
];

/** The longest short GPU name the badge shows before it cuts with an ellipsis. */
const MAX_GPU_WORDS = 28;

/**
 * A GPU adapter in two words: "NVIDIA · ampere" from "nvidia ampere …" (the engine joins vendor,
 * architecture, device and description with spaces), or its first words when the vendor is unknown.
 */
export function gpuShortName(adapter: string): string {
  const words = adapter.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'unnamed adapter';
  const vendor = VENDORS[words[0].toLowerCase()];
  const text = vendor ? [vendor, ...words.slice(1, 2)].join(' · ') : words.slice(0, 3).join(' ');
  return text.length > MAX_GPU_WORDS ? `${text.slice(0, MAX_GPU_WORDS - 1)}…` : text;
}

/** The name of a software renderer in an adapter string ("SwiftShader"), or null for real hardware. */
export function softwareRenderer(adapter: string): string | null {
  if (!SOFTWARE_RENDERER.test(adapter)) return null;
  return SOFTWARE_NAMES.find(([pattern]) => pattern.test(adapter))?.[1] ?? 'software';
}

export interface BackendLine {
  /** The one short line: "Running on your GPU: NVIDIA · ampere", "Running on your CPU — no usable GPU found". */
  text: string;
  /** A short extra word the badge drops on a narrow screen: "WebAssembly", "plain JavaScript". */
  detail: string | null;
  /** 'gpu' on graphics hardware, 'software' on a GPU drawn by the CPU, 'cpu' on wasm or plain JavaScript. */
  kind: 'gpu' | 'software' | 'cpu';
}

/** The badge's one line: where the run computes, in words a lay reader knows. */
export function backendLine(choice: BackendChoice): BackendLine {
  if (choice.name === 'webgpu' || choice.name === 'webgl') {
    const software = choice.adapter ? softwareRenderer(choice.adapter) : null;
    if (software) return { text: `Running on your GPU (in software: ${software})`, detail: null, kind: 'software' };
    if (choice.adapter)
      return { text: `Running on your GPU: ${gpuShortName(choice.adapter)}`, detail: null, kind: 'gpu' };
    return { text: 'Running on your GPU', detail: BACKEND_WORDS[choice.name], kind: 'gpu' };
  }
  // A GPU backend was tried and failed: say so; a CPU backend asked for in the link is no failure.
  const passedOverGpu = choice.fallbacks.some((f) => f.backend === 'webgpu' || f.backend === 'webgl');
  return {
    text: passedOverGpu ? 'Running on your CPU — no usable GPU found' : 'Running on your CPU',
    detail: CPU_WORDS[choice.name] ?? null,
    kind: 'cpu',
  };
}

/** The full technical line: "WebGPU · Google SwiftShader", or "wasm (fallback: WebGPU unavailable — no adapter)". */
export function backendText(choice: BackendChoice): string {
  const name = BACKEND_WORDS[choice.name];
  const main = choice.adapter ? `${name} · ${choice.adapter}` : name;
  if (choice.fallbacks.length === 0) return main;
  const why = choice.fallbacks.map((f) => `${BACKEND_WORDS[f.backend]} unavailable — ${f.reason}`).join('; ');
  return `${main} (fallback: ${why})`;
}

/** A backend's name in the details: "WebGPU", "wasm (WebAssembly)". */
export function backendName(name: BackendChoice['name']): string {
  const words = CPU_WORDS[name];
  return words ? `${BACKEND_WORDS[name]} (${words})` : BACKEND_WORDS[name];
}
