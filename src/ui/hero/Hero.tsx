/**
 * The first screen: everything a class needs without scrolling — the switch, Run, one line of
 * progress, the verdict in big numbers and the featured chart, with the featured model's guesses on
 * a few test digits. Flipping the switch changes the bold line, the outlined number and the guesses.
 */
import type { ConfigIssue, ExperimentConfig } from '../../experiment/config';
import type { Palette } from '../common/palette';
import { isActive, type DataState, type RunState } from '../state/runState';
import { HeroMain } from './HeroMain';
import { InitSwitch } from './InitSwitch';
import { ProgressLine } from './ProgressLine';
import { RunButtons } from './RunButtons';
import './hero.css';
import type { TraitControl } from './useTraitControl';

interface Props {
  /** The run the first screen shows: the live one, or one played back (run.replay). */
  run: RunState | null;
  /** The run the engine trains now, if any: what Run, Pause and Cancel act on. */
  live: RunState | null;
  data: DataState;
  /** What Run would run (shown before any run). */
  config: ExperimentConfig;
  issues: ConfigIssue[];
  shared: boolean;
  /** The student the switch features (App's featuredStudent). */
  featured: 'student_aux' | 'cross_aux';
  onShared: (shared: boolean) => void;
  /** The trait setting as the form holds it, and choosing another (it goes into the settings and the link). */
  trait: TraitControl;
  onRun: () => void;
  onCancel: () => void;
  /** Pauses or continues the live run. */
  onPauseToggle: () => void;
  /** Whether runs stop after the teacher and after the students (the lecturer's stages). */
  stopAtStages: boolean;
  onStopAtStages: (stop: boolean) => void;
  /** Plays a finished run back (there is always one: the recording that ships with the page). */
  onReplay: () => void;
  /** Leaves a replay for the live run (or the empty first screen). */
  onEndReplay: () => void;
  palette: Palette;
  children?: React.ReactNode;
}

export function Hero({
  run,
  live,
  data,
  config,
  issues,
  shared,
  featured,
  onShared,
  trait,
  onRun,
  onCancel,
  onPauseToggle,
  stopAtStages,
  onStopAtStages,
  onReplay,
  onEndReplay,
  palette,
  children,
}: Props) {
  const shown = run?.config ?? config;
  const running = isActive(live);
  return (
    <section className="hero" aria-label="Run the experiment">
      <div className="hero-side">
        <p className="lead">
          A <strong>teacher</strong> learns to read digits. A <strong>student</strong> copies only its extra,
          never-trained outputs, on pure noise — and learns digits too, but only if it starts from the teacher&apos;s{' '}
          <strong>own random weights</strong>.
        </p>
        <InitSwitch shared={shared} onChange={onShared} />
        <RunButtons
          running={running}
          cancelling={live?.status === 'cancelling'}
          issues={issues}
          onRun={onRun}
          onCancel={onCancel}
          pause={{ paused: live?.paused != null, disabled: live?.status !== 'running', onToggle: onPauseToggle }}
          replay={{
            disabled: false,
            playing: run?.replay !== undefined,
            // While one plays, the same button ends it.
            onReplay: run?.replay ? onEndReplay : onReplay,
          }}
        >
          <label className="stage-stops">
            <input type="checkbox" checked={stopAtStages} onChange={(event) => onStopAtStages(event.target.checked)} />{' '}
            Pause after the teacher and after the students
          </label>
        </RunButtons>
        <ProgressLine run={run} data={data} models={shown.models} />
      </div>
      <HeroMain run={run} shown={shown} shared={shared} featured={featured} trait={trait} palette={palette} />
      {children}
    </section>
  );
}
