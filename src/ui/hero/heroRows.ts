/**
 * The featured chart's rows: the teacher's curve, then the two aux-only students' curves, on one
 * time axis (teacher epochs, then student epochs after them), so the class sees the teacher learn
 * and then one student rise while the other stays at chance.
 */
import type { TraitName } from '../../experiment/config';
import type { CurvePoint } from '../../experiment/results';
import { meanOf } from '../common/curves';
import { curveMeasure } from '../common/trait';

export interface HeroRow {
  /** Epochs since the run started: the teacher's, then teacherEpochs + the students'. */
  x: number;
  teacher?: number;
  student_aux?: number;
  cross_aux?: number;
}

const mean = (values: readonly number[] | undefined) => (values && values.length > 0 ? meanOf(values) : undefined);

/** Each line's final number (the test on all 10,000 digits), once the run has one. */
export type FinalMeans = Record<'teacher' | 'student_aux' | 'cross_aux', number>;

/**
 * The rows, of the trait's measure (test accuracy for 'digits'); with `final`, each line ends on
 * its final number rather than its last reading on the curve's few images, so the chart's last
 * point is the number the verdict gives.
 */
export function heroRows(
  teacher: readonly CurvePoint[],
  distill: readonly CurvePoint[],
  teacherEpochs: number,
  final?: FinalMeans | null,
  trait: TraitName = 'digits',
): HeroRow[] {
  const rows: HeroRow[] = teacher.map((point) => ({
    x: point.epoch,
    teacher: mean(curveMeasure(point, 'teacher', trait)),
  }));
  if (final && rows.length > 0) rows[rows.length - 1].teacher = final.teacher;
  const students: HeroRow[] = distill.map((point) => ({
    x: teacherEpochs + point.epoch,
    student_aux: mean(curveMeasure(point, 'student_aux', trait)),
    cross_aux: mean(curveMeasure(point, 'cross_aux', trait)),
  }));
  if (final && students.length > 0) {
    students[students.length - 1].student_aux = final.student_aux;
    students[students.length - 1].cross_aux = final.cross_aux;
  }
  return [...rows, ...students];
}

/** The last value of each line, as the chart draws it. */
export function lastValues(rows: readonly HeroRow[]): Partial<FinalMeans> {
  const last = (key: keyof FinalMeans) => [...rows].reverse().find((row) => row[key] !== undefined)?.[key];
  return { teacher: last('teacher'), student_aux: last('student_aux'), cross_aux: last('cross_aux') };
}
