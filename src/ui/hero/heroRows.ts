/**
 * The featured chart's rows: the teacher's curve, then the two aux-only students' curves, on one
 * time axis (teacher epochs, then student epochs after them), so the class sees the teacher learn
 * and then one student rise while the other stays at chance.
 */
import type { CurvePoint } from '../../experiment/results';
import { meanOf } from '../common/curves';

export interface HeroRow {
  /** Epochs since the run started: the teacher's, then teacherEpochs + the students'. */
  x: number;
  teacher?: number;
  student_aux?: number;
  cross_aux?: number;
}

const mean = (values: readonly number[] | undefined) => (values && values.length > 0 ? meanOf(values) : undefined);

export function heroRows(
  teacher: readonly CurvePoint[],
  distill: readonly CurvePoint[],
  teacherEpochs: number,
): HeroRow[] {
  const rows: HeroRow[] = teacher.map((point) => ({ x: point.epoch, teacher: mean(point.accuracy.teacher) }));
  for (const point of distill) {
    rows.push({
      x: teacherEpochs + point.epoch,
      student_aux: mean(point.accuracy.student_aux),
      cross_aux: mean(point.accuracy.cross_aux),
    });
  }
  return rows;
}
