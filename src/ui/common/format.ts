/** Numbers and states in words for the page. */
import type { BackendChoice } from '../../experiment/backend';
import type { Phase } from '../../experiment/results';

export function percent(fraction: number, digits = 0): string {
  return `${(fraction * 100).toFixed(digits)}%`;
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

/** "WebGPU · Google SwiftShader", or "wasm (fallback: WebGPU unavailable — no adapter)". */
export function backendText(choice: BackendChoice): string {
  const name = BACKEND_WORDS[choice.name];
  const main = choice.adapter ? `${name} · ${choice.adapter}` : name;
  if (choice.fallbacks.length === 0) return main;
  const why = choice.fallbacks.map((f) => `${BACKEND_WORDS[f.backend]} unavailable — ${f.reason}`).join('; ');
  return `${main} (fallback: ${why})`;
}
