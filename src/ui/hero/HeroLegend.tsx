/** The featured chart's key, under it: the teacher, the featured student (in bold), the other, and chance. */
import { CHANCE } from '../common/chartAxes';
import { percent } from '../common/format';
import type { Palette } from '../common/palette';

export type Student = 'student_aux' | 'cross_aux';

export const HERO_LABELS: Record<Student | 'teacher', string> = {
  teacher: 'Teacher',
  student_aux: 'Same start',
  cross_aux: 'Different start',
};

export function HeroLegend({ featured, other, palette }: { featured: Student; other: Student; palette: Palette }) {
  return (
    <figcaption className="hero-legend">
      {(['teacher', featured, other] as const).map((name) => (
        <span key={name} className={name === featured ? 'featured' : undefined}>
          <span className="swatch" style={{ background: palette.condition[name] }} aria-hidden="true" />
          {HERO_LABELS[name]}
        </span>
      ))}
      <span>
        <span className="swatch chance" style={{ borderColor: palette.chance }} aria-hidden="true" />
        Chance ({percent(CHANCE)})
      </span>
    </figcaption>
  );
}
