/**
 * Taking a sweep away: its numbers (the SweepResult JSON the command line writes), its chart (SVG,
 * PNG, drawn off screen at a fixed size) and a link that fills the same sweep in (it does not run
 * it). Every action says what it did, or why it could not.
 */
import { memo } from 'react';
import type { PresetName } from '../../experiment/config';
import { sweepToQuery } from '../../experiment/sweep/sweep';
import { downloadBlob, downloadText, svgToPng } from '../common/download';
import type { FigureSvg } from '../common/figure';
import type { SweepRun } from '../state/sweepState';
import { useExportNote } from '../common/useExportNote';

interface Props {
  sweep: SweepRun | null;
  /** The preset the link names (any preset reproduces the config; this one keeps it short). */
  preset: PresetName;
  /** File names without their extension. */
  stem: string;
  figure: (sweep: SweepRun) => Promise<FigureSvg>;
}

/** The page's address with this sweep's query. */
export function sweepLink(sweep: SweepRun, preset: PresetName): string {
  const { origin, pathname, hash } = window.location;
  return `${origin}${pathname}?${sweepToQuery(sweep.base, preset, sweep.plan)}${hash}`;
}

export const SweepExport = memo(function SweepExport({ sweep, preset, stem, figure }: Props) {
  const { note, manualLink, save, copy } = useExportNote();
  const kind = sweep?.kind ?? 'sweep';
  const copyLink = () =>
    sweep &&
    copy(sweepLink(sweep, preset), 'Link copied: it opens the page with these settings and this sweep filled in.');

  const result = sweep?.result ?? null;
  const drawable = !!sweep && sweep.points.length > 0;
  return (
    <div className="sweep-export">
      <div className="button-row">
        <button
          type="button"
          className="secondary"
          data-testid={`${kind}-export-json`}
          disabled={!result}
          onClick={save(`${stem}.json`, () =>
            downloadText(JSON.stringify(result, null, 2), `${stem}.json`, 'application/json'),
          )}
        >
          Sweep JSON
        </button>
        <button
          type="button"
          className="secondary"
          data-testid={`${kind}-export-svg`}
          disabled={!drawable}
          onClick={save(`${stem}.svg`, async () =>
            downloadText((await figure(sweep!)).text, `${stem}.svg`, 'image/svg+xml'),
          )}
        >
          Chart SVG
        </button>
        <button
          type="button"
          className="secondary"
          data-testid={`${kind}-export-png`}
          disabled={!drawable}
          onClick={save(`${stem}.png`, async () => {
            const svg = await figure(sweep!);
            downloadBlob(await svgToPng(svg.text, svg.width, svg.height), `${stem}.png`);
          })}
        >
          Chart PNG
        </button>
        <button
          type="button"
          className="secondary"
          data-testid={`${kind}-copy-link`}
          disabled={!sweep}
          onClick={copyLink}
        >
          Copy link to this sweep
        </button>
      </div>
      {sweep && !result && (
        <p className="hint">The JSON can be saved once every value has finished; the chart as soon as one has.</p>
      )}
      <p className={`note ${note?.kind ?? ''}`} role="status" data-testid={`${kind}-export-note`}>
        {note?.text ?? ''}
      </p>
      {manualLink && (
        <input
          className="manual-link"
          readOnly
          value={manualLink}
          aria-label="Link to this sweep"
          onFocus={(e) => e.currentTarget.select()}
          autoFocus
        />
      )}
    </div>
  );
});
