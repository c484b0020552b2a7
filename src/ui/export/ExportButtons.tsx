/**
 * Taking the result away: the numbers (JSON in the CLI's schema, CSV), the figure (SVG, PNG), and a
 * link that reproduces the run. Every action says what it did, or why it could not.
 */
import { memo } from 'react';
import type { ExperimentResult } from '../../experiment/results';
import { downloadBlob, downloadText, svgToPng } from '../common/download';
import { resultCsv, resultJson, summaryCsv } from './export';
import type { FigureSvg } from '../common/figure';
import { useExportNote } from '../common/useExportNote';
import { settingsFromQuery } from '../state/settings';

interface Props {
  result: ExperimentResult | null;
  /** Draws the result figure for a file (the result stage's chart, as the page shows it). */
  figure: (result: ExperimentResult) => Promise<FigureSvg>;
}

export const ExportButtons = memo(function ExportButtons({ result, figure }: Props) {
  const { note, manualLink, save, copy } = useExportNote();
  // A link with refused values is copied as it was opened (the page rewrites it only once valid), and says so.
  const copyLink = () =>
    copy(
      window.location.href,
      settingsFromQuery(window.location.search).linkIssues.length > 0
        ? 'Link copied as it was opened: it still has settings the page refused (see Settings), and opens with Run off.'
        : 'Link copied: it opens this page with these settings.',
    );

  const noResult = result === null;
  return (
    <section className="export" aria-labelledby="export-title">
      <h2 id="export-title">Take it with you</h2>
      <div className="button-row">
        <button
          type="button"
          data-testid="export-json"
          disabled={noResult}
          onClick={save('results.json', () => downloadText(resultJson(result!), 'results.json', 'application/json'))}
        >
          Results JSON
        </button>
        <button
          type="button"
          data-testid="export-csv"
          disabled={noResult}
          onClick={save('results.csv', () => downloadText(resultCsv(result!), 'results.csv', 'text/csv'))}
        >
          Per-model CSV
        </button>
        <button
          type="button"
          data-testid="export-summary-csv"
          disabled={noResult}
          onClick={save('summary.csv', () => downloadText(summaryCsv(result!), 'summary.csv', 'text/csv'))}
        >
          Summary CSV
        </button>
        <button
          type="button"
          data-testid="export-svg"
          disabled={noResult}
          onClick={save('result.svg', async () => {
            const svg = await figure(result!);
            downloadText(svg.text, 'result.svg', 'image/svg+xml');
          })}
        >
          Figure SVG
        </button>
        <button
          type="button"
          data-testid="export-png"
          disabled={noResult}
          onClick={save('result.png', async () => {
            const svg = await figure(result!);
            downloadBlob(await svgToPng(svg.text, svg.width, svg.height), 'result.png');
          })}
        >
          Figure PNG
        </button>
        <button type="button" data-testid="copy-link" onClick={copyLink}>
          Copy link
        </button>
      </div>
      {noResult && <p className="hint">The files can be saved once a run has finished; the link works any time.</p>}
      <p className={`note ${note?.kind ?? ''}`} role="status" data-testid="export-note">
        {note?.text ?? ''}
      </p>
      {manualLink && <ManualLink link={manualLink} />}
    </section>
  );
});

/** The link to copy by hand, selected, when the clipboard refused it. */
function ManualLink({ link }: { link: string }) {
  return (
    <input
      className="manual-link"
      readOnly
      value={link}
      aria-label="Link to this page with these settings"
      onFocus={(e) => e.currentTarget.select()}
      autoFocus
    />
  );
}
