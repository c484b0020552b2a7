/** A teacher's m auxiliary outputs (softmax) on one noise image as a row of small bars. */

export function AuxBars({
  probabilities,
  color,
  label,
}: {
  probabilities: readonly number[] | null;
  color: string;
  label: string;
}) {
  const m = probabilities?.length ?? 0;
  const top = probabilities ? Math.max(...probabilities, 1e-9) : 1;
  const strongest = probabilities ? probabilities.indexOf(Math.max(...probabilities)) : -1;
  return (
    <svg
      className="aux-bars"
      viewBox={`0 0 ${Math.max(m, 1)} 1`}
      preserveAspectRatio="none"
      role="img"
      aria-label={
        probabilities
          ? `${label}: ${m} numbers; the largest, ${probabilities[strongest].toFixed(2)}, is output ${strongest + 1}`
          : `${label}: not computed yet`
      }
    >
      {probabilities?.map((p, i) => {
        const h = p / top;
        return <rect key={i} x={i + 0.12} width={0.76} y={1 - h} height={h} fill={color} />;
      })}
    </svg>
  );
}
