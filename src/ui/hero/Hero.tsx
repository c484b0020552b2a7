/**
 * The first screen: everything a class needs without scrolling — the switch, Run, one line of
 * progress, the verdict in big numbers and the featured chart, with the featured model's guesses on
 * a few test digits. Flipping the switch changes the bold line, the outlined number and the guesses.
 */
import type { ConfigIssue, ExperimentConfig } from '../../experiment/config';
import type { CurvePoint } from '../../experiment/results';
import { latestPredictions } from '../common/curves';
import type { Palette } from '../common/palette';
import { isActive, type DataState, type RunState } from '../state/runState';
import { DigitPredictions } from '../common/DigitPredictions';
import { HeroChart } from './HeroChart';
import { heroVerdict } from './heroView';
import { InitSwitch } from './InitSwitch';
import { ProgressLine } from './ProgressLine';
import { RunButtons } from './RunButtons';
import { Verdict } from './Verdict';
import './hero.css';

const NO_POINTS: readonly CurvePoint[] = [];

interface Props {
  run: RunState | null;
  data: DataState;
  /** What Run would run (shown before any run). */
  config: ExperimentConfig;
  issues: ConfigIssue[];
  shared: boolean;
  /** The student the switch features (App's featuredStudent). */
  featured: 'student_aux' | 'cross_aux';
  onShared: (shared: boolean) => void;
  onRun: () => void;
  onCancel: () => void;
  palette: Palette;
  children?: React.ReactNode;
}

export function Hero({
  run,
  data,
  config,
  issues,
  shared,
  featured,
  onShared,
  onRun,
  onCancel,
  palette,
  children,
}: Props) {
  const shown = run?.config ?? config;
  const teacher = run?.curves.teacher ?? NO_POINTS;
  const distill = run?.curves.distill ?? NO_POINTS;
  const studentsStarted = distill.length > 0;
  const guessesOf = studentsStarted ? featured : 'teacher';
  const who = studentsStarted ? (shared ? 'Same-start student' : 'Different-start student') : 'Teacher';
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
          running={isActive(run)}
          cancelling={run?.status === 'cancelling'}
          issues={issues}
          onRun={onRun}
          onCancel={onCancel}
        />
        <ProgressLine run={run} data={data} models={shown.models} />
      </div>
      <div className="hero-main">
        <Verdict verdict={heroVerdict(run)} featured={featured} curveTestImages={shown.curveTestImages} />
        <HeroChart
          teacher={teacher}
          distill={distill}
          teacherEpochs={shown.teacherEpochs}
          studentEpochs={shown.studentEpochs}
          featured={featured}
          palette={palette}
        />
        <div className="hero-guesses">
          <DigitPredictions
            digits={run?.digits ?? null}
            predictions={latestPredictions(studentsStarted ? distill : teacher, guessesOf)}
            who={who}
          />
        </div>
      </div>
      {children}
    </section>
  );
}
