/** Which of a round's debrief texts apply, given what happened in the round. */
import type { RoundResult } from '../sim';
import type { DebriefCondition, Lesson } from './lessonSchema';

/** The value of a debrief metric in a round's result. */
export function debriefMetric(result: RoundResult, metric: Extract<DebriefCondition, { metric: unknown }>['metric']): number {
  switch (metric) {
    case 'trustChange':
      return result.trustIndex - result.trustBefore;
    case 'churned':
      return result.listeners.churned;
    case 'score':
      return result.score.total;
    case 'signalsCollected':
      return result.decisions.signals.length;
    case 'segmentsTargeted':
      return new Set(result.assignments.filter((a) => a.segment !== 'everyone').map((a) => a.segment)).size;
    default:
      return result[metric];
  }
}

export function conditionHolds(cond: DebriefCondition, result: RoundResult): boolean {
  if ('metric' in cond) {
    const v = debriefMetric(result, cond.metric);
    switch (cond.op) {
      case '<':
        return v < cond.value;
      case '<=':
        return v <= cond.value;
      case '>':
        return v > cond.value;
      case '>=':
        return v >= cond.value;
    }
  }
  if ('flag' in cond) return result.flags.includes(cond.flag);
  if ('harm' in cond) return result.harms.some((h) => h.tag === cond.harm);
  if ('segmentFailed' in cond) return result.segments.some((s) => s.assigned && s[cond.segmentFailed].grade === 'fail');
  if ('event' in cond) return result.events.some((e) => e.type === cond.event);
  if ('signal' in cond) return result.decisions.signals.includes(cond.signal);
  if ('consent' in cond) return result.decisions.consent === cond.consent;
  return result.assignments.some((a) => a.campaign === cond.campaign && a.segment !== 'everyone' && a.impressions > 0);
}

/** The debriefs of round `round` whose conditions all hold, in pack order. */
export function applicableDebriefs(lesson: Lesson, round: number, result: RoundResult): Lesson['rounds'][number]['debriefs'] {
  return (lesson.rounds[round]?.debriefs ?? []).filter((d) => d.when.every((c) => conditionHolds(c, result)));
}
