/** The chains' two fields: how many generations, and the values of m (one chain each). */
import { CHAIN_DEFAULTS } from '../state/sweepLink';

const { minGenerations, maxGenerations } = CHAIN_DEFAULTS;

interface Props {
  generationsText: string;
  /** Why the generations field cannot run, or null. */
  issue: string | null;
  values: string;
  onGenerations: (text: string) => void;
  onValues: (text: string) => void;
}

export function ChainFields({ generationsText, issue, values, onGenerations, onValues }: Props) {
  return (
    <div className="fields sweep-fields">
      <div className={`field${issue ? ' invalid' : ''}`}>
        <label htmlFor="chain-generations">Generations</label>
        <input
          id="chain-generations"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={generationsText}
          aria-invalid={issue !== null}
          aria-describedby="chain-generations-hint"
          onChange={(e) => onGenerations(e.target.value)}
        />
        <small id="chain-generations-hint" className="hint">
          students in a row, each taught by the one before: {minGenerations}–{maxGenerations}
        </small>
      </div>
      <div className="field">
        <label htmlFor="chain-values">Extra outputs m (comma-separated)</label>
        <input
          id="chain-values"
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={values}
          aria-describedby="chain-values-hint"
          onChange={(e) => onValues(e.target.value)}
        />
        <small id="chain-values-hint" className="hint">
          one chain per value, e.g. {CHAIN_DEFAULTS.values}
        </small>
      </div>
    </div>
  );
}
