/**
 * The settings a link asked for that the page refused, above the form: Run stays off until they are
 * fixed below or replaced by the preset's values.
 */
import type { ConfigIssue } from '../../experiment/config';

export function LinkIssues({ issues, onDismiss }: { issues: readonly ConfigIssue[]; onDismiss: () => void }) {
  if (issues.length === 0) return null;
  return (
    <div className="issues link-issues" role="alert" data-testid="link-issues">
      <p>
        <strong>This link has settings the page refused.</strong> Run is off until they are fixed below, and the address
        bar (and Copy link) keeps the link as it was opened until then:
      </p>
      <ul>
        {issues.map((issue, i) => (
          <li key={i}>{issue.message}</li>
        ))}
      </ul>
      <button type="button" className="secondary" onClick={onDismiss}>
        Use the preset&apos;s values instead
      </button>
    </div>
  );
}
