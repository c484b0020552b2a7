/** Numbers and states in words for the page. */
import type { BackendChoice } from '../experiment/backend';
import type { Phase } from '../experiment/results';

export function percent(fraction: number, digits = 0): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** An accuracy as the CLI table prints it: 0.537. */
export function accuracy(value: number): string {
  return value.toFixed(3);
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
