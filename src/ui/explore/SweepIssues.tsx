/** Why a sweep cannot run as it is: a list the user can act on, announced as an alert. */
export function SweepIssues({ issues, testId, title }: { issues: readonly string[]; testId: string; title: string }) {
  if (issues.length === 0) return null;
  return (
    <div className="issues" role="alert" data-testid={testId}>
      <p>
        <strong>{title}</strong>
      </p>
      <ul>
        {issues.map((issue, i) => (
          <li key={i}>{issue}</li>
        ))}
      </ul>
    </div>
  );
}
