/** A saved run's shape, apart from the store, so the record's schema and the store can both use it. */
import type { ExperimentConfig } from '../../experiment/config';
import type { KeptRun } from '../state/runState';

/** One finished run as stored. */
export interface SavedRun extends KeptRun {
  /** Given by the store. */
  id: number;
  config: ExperimentConfig;
  /** The backend the run trained on, as the engine named it (e.g. "webgpu"). */
  backend: string;
}

export type NewSavedRun = Omit<SavedRun, 'id'>;
